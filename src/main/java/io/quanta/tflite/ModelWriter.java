package io.quanta.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.SignatureDef;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.tflite.schema.Buffer;
import io.quanta.tflite.schema.OperatorCode;
import io.quanta.tflite.schema.QuantizationParameters;
import io.quanta.tflite.schema.SubGraph;
import io.quanta.tflite.schema.TensorMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link Model} as a lean .tflite file: one operator code per distinct (op, version), buffer 0
 * empty, each constant's data in its own 16-byte-aligned buffer (constants sharing one byte array by
 * identity share a buffer), metadata and signature defs kept, and no field written at its default value.
 * Files over 2 GiB (the appended-buffer form) are not written. Options that cannot be written faithfully
 * ({@link io.quanta.graph.OpOptions.Unmodelled}) give a {@link ModelFormatException}.
 */
public final class ModelWriter {
    /** TFLite requires constant data aligned for direct (mmap) use; the schema asks for 16 bytes. */
    private static final int DATA_ALIGNMENT = 16;

    private static final long MAX_FLATBUFFER = Integer.MAX_VALUE - 1024;

    private ModelWriter() {}

    public static void write(Model model, Path file) {
        byte[] bytes = write(model);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + file + ": " + e.getMessage(), e);
        }
    }

    public static byte[] write(Model model) {
        return new Writer(model).write();
    }

    private static final class Writer {
        private final Model model;
        private final FlatBufferBuilder b;
        /** Buffer contents in file order; index 0 is the empty sentinel (null). */
        private final List<byte[]> buffers = new ArrayList<>();

        private final Map<byte[], Integer> bufferOfArray = new IdentityHashMap<>();
        private final Map<OpCodeKey, Integer> opcodeIndex = new HashMap<>();
        private final List<OpCodeKey> opcodes = new ArrayList<>();

        private record OpCodeKey(int builtinCode, String customCode, int version) {}

        Writer(Model model) {
            this.model = model;
            long constants = 0;
            for (Subgraph s : model.subgraphs()) {
                for (Tensor t : s.tensors()) {
                    constants += t.data() == null ? 0 : t.data().length + DATA_ALIGNMENT;
                }
            }
            if (constants > MAX_FLATBUFFER) {
                throw new ModelFormatException("the model holds " + constants + " bytes of constants; writing"
                        + " files over 2 GiB is not supported");
            }
            this.b = new FlatBufferBuilder((int) Math.min(MAX_FLATBUFFER, constants + 64 * 1024));
            buffers.add(null);
        }

        byte[] write() {
            if (model.subgraphs().isEmpty()) {
                throw new ModelFormatException("cannot write a model without subgraphs");
            }
            // Assign buffer indices first: constants in tensor order, then metadata.
            List<int[]> tensorBuffers = new ArrayList<>();
            for (Subgraph s : model.subgraphs()) {
                int[] idx = new int[s.tensors().size()];
                for (int t = 0; t < idx.length; t++) {
                    idx[t] = bufferFor(s.tensor(t).data());
                }
                tensorBuffers.add(idx);
            }
            int[] metadataBuffers = new int[model.metadata().size()];
            for (int i = 0; i < metadataBuffers.length; i++) {
                // Metadata always gets its own buffer, even when empty, so that the entry keeps pointing at it.
                buffers.add(model.metadata().get(i).data());
                metadataBuffers[i] = buffers.size() - 1;
            }

            // Large data first so that the builder's growth copies as little as possible after it.
            int buffersVector = writeBuffers();
            int[] subgraphOffsets = new int[model.subgraphs().size()];
            for (int s = 0; s < subgraphOffsets.length; s++) {
                subgraphOffsets[s] = writeSubgraph(model.subgraphs().get(s), s, tensorBuffers.get(s));
            }
            int subgraphsVector = io.quanta.tflite.schema.Model.createSubgraphsVector(b, subgraphOffsets);
            int codesVector = writeOperatorCodes();
            int metadataVector = writeMetadata(metadataBuffers);
            int signaturesVector = writeSignatureDefs();
            int description = model.description() == null || model.description().isEmpty()
                    ? 0
                    : b.createString(model.description());

            io.quanta.tflite.schema.Model.startModel(b);
            io.quanta.tflite.schema.Model.addVersion(b, model.version());
            io.quanta.tflite.schema.Model.addOperatorCodes(b, codesVector);
            io.quanta.tflite.schema.Model.addSubgraphs(b, subgraphsVector);
            if (description != 0) {
                io.quanta.tflite.schema.Model.addDescription(b, description);
            }
            io.quanta.tflite.schema.Model.addBuffers(b, buffersVector);
            if (metadataVector != 0) {
                io.quanta.tflite.schema.Model.addMetadata(b, metadataVector);
            }
            if (signaturesVector != 0) {
                io.quanta.tflite.schema.Model.addSignatureDefs(b, signaturesVector);
            }
            int root = io.quanta.tflite.schema.Model.endModel(b);
            b.finish(root, ModelReader.FILE_IDENTIFIER);
            return b.sizedByteArray();
        }

        private int bufferFor(byte[] data) {
            if (data == null) {
                return 0;
            }
            Integer known = bufferOfArray.get(data);
            if (known != null) {
                return known;
            }
            buffers.add(data);
            bufferOfArray.put(data, buffers.size() - 1);
            return buffers.size() - 1;
        }

        private int writeBuffers() {
            int[] offsets = new int[buffers.size()];
            for (int i = buffers.size() - 1; i >= 0; i--) {
                byte[] data = buffers.get(i);
                int vector = 0;
                if (data != null && data.length > 0) {
                    // The generated createDataVector ignores force_align, so align the vector here.
                    ByteBuffer slot = b.createUnintializedVector(1, data.length, DATA_ALIGNMENT);
                    slot.put(data);
                    vector = b.endVector();
                }
                Buffer.startBuffer(b);
                if (vector != 0) {
                    Buffer.addData(b, vector);
                }
                offsets[i] = Buffer.endBuffer(b);
            }
            return io.quanta.tflite.schema.Model.createBuffersVector(b, offsets);
        }

        private int writeSubgraph(Subgraph s, int index, int[] tensorBuffers) {
            int[] tensors = new int[s.tensors().size()];
            for (int t = 0; t < tensors.length; t++) {
                tensors[t] = writeTensor(s.tensor(t), tensorBuffers[t]);
            }
            int[] ops = new int[s.operators().size()];
            for (int n = 0; n < ops.length; n++) {
                ops[n] = writeOperator(s.operators().get(n), "subgraph " + index + ", operator " + n);
            }
            int tensorsVector = SubGraph.createTensorsVector(b, tensors);
            int inputs = SubGraph.createInputsVector(b, s.inputs());
            int outputs = SubGraph.createOutputsVector(b, s.outputs());
            int opsVector = SubGraph.createOperatorsVector(b, ops);
            int name = s.name().isEmpty() ? 0 : b.createString(s.name());
            SubGraph.startSubGraph(b);
            SubGraph.addTensors(b, tensorsVector);
            SubGraph.addInputs(b, inputs);
            SubGraph.addOutputs(b, outputs);
            SubGraph.addOperators(b, opsVector);
            if (name != 0) {
                SubGraph.addName(b, name);
            }
            return SubGraph.endSubGraph(b);
        }

        private int writeTensor(Tensor t, int buffer) {
            int shape = io.quanta.tflite.schema.Tensor.createShapeVector(b, t.shape());
            int name = t.name().isEmpty() ? 0 : b.createString(t.name());
            int quant = t.quant() == null ? 0 : writeQuant(t.quant(), "tensor '" + t.name() + "'");
            int signature = t.shapeSignature() == null
                    ? 0
                    : io.quanta.tflite.schema.Tensor.createShapeSignatureVector(b, t.shapeSignature());
            io.quanta.tflite.schema.Tensor.startTensor(b);
            io.quanta.tflite.schema.Tensor.addShape(b, shape);
            io.quanta.tflite.schema.Tensor.addType(b, TfLiteTypes.tensorType(t.type()));
            io.quanta.tflite.schema.Tensor.addBuffer(b, buffer);
            if (name != 0) {
                io.quanta.tflite.schema.Tensor.addName(b, name);
            }
            if (quant != 0) {
                io.quanta.tflite.schema.Tensor.addQuantization(b, quant);
            }
            io.quanta.tflite.schema.Tensor.addIsVariable(b, t.isVariable());
            if (signature != 0) {
                io.quanta.tflite.schema.Tensor.addShapeSignature(b, signature);
            }
            return io.quanta.tflite.schema.Tensor.endTensor(b);
        }

        /**
         * TFLite wants one zero point per scale; QuantParams allows none or one for all (reading as 0 or that
         * value), so expand those forms rather than write a file TFLite rejects.
         */
        private static long[] zeroPoints(QuantParams q, String where) {
            long[] zp = q.zeroPoint();
            int n = q.scale().length;
            if (zp.length == n || n == 0) {
                return zp; // without scales the zero points mean nothing to TFLite: keep them as they are
            }
            if (zp.length > 1) {
                throw new ModelFormatException(where + ": " + n + " scales but " + zp.length + " zero points");
            }
            long[] expanded = new long[n];
            java.util.Arrays.fill(expanded, zp.length == 0 ? 0 : zp[0]);
            return expanded;
        }

        private int writeQuant(QuantParams q, String where) {
            if (q.scale().length == 0 && q.zeroPoint().length == 0 && q.min().length == 0 && q.max().length == 0) {
                return 0;
            }
            int min = q.min().length == 0 ? 0 : QuantizationParameters.createMinVector(b, q.min());
            int max = q.max().length == 0 ? 0 : QuantizationParameters.createMaxVector(b, q.max());
            int scale = q.scale().length == 0 ? 0 : QuantizationParameters.createScaleVector(b, q.scale());
            int zeroPoint = q.zeroPoint().length == 0 && q.scale().length == 0
                    ? 0
                    : QuantizationParameters.createZeroPointVector(b, zeroPoints(q, where));
            QuantizationParameters.startQuantizationParameters(b);
            if (min != 0) QuantizationParameters.addMin(b, min);
            if (max != 0) QuantizationParameters.addMax(b, max);
            if (scale != 0) QuantizationParameters.addScale(b, scale);
            if (zeroPoint != 0) QuantizationParameters.addZeroPoint(b, zeroPoint);
            QuantizationParameters.addQuantizedDimension(b, q.quantizedDimension());
            return QuantizationParameters.endQuantizationParameters(b);
        }

        private int writeOperator(Operator op, String where) {
            int code = switch (op.type()) {
                case OTHER -> op.builtinCode();
                default -> TfLiteTypes.builtinCode(op.type());
            };
            String name = where + " (" + op.displayName() + ")";
            if (op.type() == OpType.CUSTOM && op.customCode() == null) {
                throw new ModelFormatException(name + ": a custom op needs a custom code");
            }
            if (code < 0) {
                throw new ModelFormatException(name + ": invalid builtin code " + code);
            }
            OpCodeKey key = new OpCodeKey(code, op.type() == OpType.CUSTOM ? op.customCode() : null, op.version());
            int opcode = opcodeIndex.computeIfAbsent(key, k -> {
                opcodes.add(k);
                return opcodes.size() - 1;
            });
            OptionsCodec.Encoded options = OptionsCodec.encode(b, op.options(), op.type(), code, name);
            int inputs = io.quanta.tflite.schema.Operator.createInputsVector(b, op.inputs());
            int outputs = io.quanta.tflite.schema.Operator.createOutputsVector(b, op.outputs());
            int intermediates = op.intermediates().length == 0
                    ? 0
                    : io.quanta.tflite.schema.Operator.createIntermediatesVector(b, op.intermediates());
            int custom = op.customOptions() == null ? 0 : b.createByteVector(op.customOptions());
            io.quanta.tflite.schema.Operator.startOperator(b);
            io.quanta.tflite.schema.Operator.addOpcodeIndex(b, opcode);
            io.quanta.tflite.schema.Operator.addInputs(b, inputs);
            io.quanta.tflite.schema.Operator.addOutputs(b, outputs);
            if (options != null) {
                if (options.member().second()) {
                    io.quanta.tflite.schema.Operator.addBuiltinOptions2Type(
                            b, options.member().type());
                    io.quanta.tflite.schema.Operator.addBuiltinOptions2(b, options.offset());
                } else {
                    io.quanta.tflite.schema.Operator.addBuiltinOptionsType(
                            b, options.member().type());
                    io.quanta.tflite.schema.Operator.addBuiltinOptions(b, options.offset());
                }
            }
            if (custom != 0) {
                io.quanta.tflite.schema.Operator.addCustomOptions(b, custom);
            }
            if (intermediates != 0) {
                io.quanta.tflite.schema.Operator.addIntermediates(b, intermediates);
            }
            return io.quanta.tflite.schema.Operator.endOperator(b);
        }

        private int writeOperatorCodes() {
            int[] offsets = new int[opcodes.size()];
            for (int i = 0; i < offsets.length; i++) {
                OpCodeKey k = opcodes.get(i);
                int custom = k.customCode() == null ? 0 : b.createString(k.customCode());
                OperatorCode.startOperatorCode(b);
                OperatorCode.addDeprecatedBuiltinCode(b, TfLiteTypes.deprecatedBuiltinCode(k.builtinCode()));
                if (custom != 0) {
                    OperatorCode.addCustomCode(b, custom);
                }
                OperatorCode.addVersion(b, k.version());
                OperatorCode.addBuiltinCode(b, k.builtinCode());
                offsets[i] = OperatorCode.endOperatorCode(b);
            }
            return io.quanta.tflite.schema.Model.createOperatorCodesVector(b, offsets);
        }

        private int writeMetadata(int[] metadataBuffers) {
            if (metadataBuffers.length == 0) {
                return 0;
            }
            int[] offsets = new int[metadataBuffers.length];
            for (int i = 0; i < offsets.length; i++) {
                Metadata m = model.metadata().get(i);
                int name = b.createString(Objects.requireNonNullElse(m.name(), ""));
                io.quanta.tflite.schema.Metadata.startMetadata(b);
                io.quanta.tflite.schema.Metadata.addName(b, name);
                io.quanta.tflite.schema.Metadata.addBuffer(b, metadataBuffers[i]);
                offsets[i] = io.quanta.tflite.schema.Metadata.endMetadata(b);
            }
            return io.quanta.tflite.schema.Model.createMetadataVector(b, offsets);
        }

        private int writeSignatureDefs() {
            if (model.signatureDefs().isEmpty()) {
                return 0;
            }
            int[] offsets = new int[model.signatureDefs().size()];
            for (int i = 0; i < offsets.length; i++) {
                SignatureDef s = model.signatureDefs().get(i);
                if (s.subgraphIndex() < 0
                        || s.subgraphIndex() >= model.subgraphs().size()) {
                    throw new ModelFormatException("signature '" + s.key() + "' refers to subgraph " + s.subgraphIndex()
                            + ", but the model has " + model.subgraphs().size());
                }
                int inputs = io.quanta.tflite.schema.SignatureDef.createInputsVector(b, tensorMaps(s.inputs()));
                int outputs = io.quanta.tflite.schema.SignatureDef.createOutputsVector(b, tensorMaps(s.outputs()));
                int key = b.createString(s.key());
                io.quanta.tflite.schema.SignatureDef.startSignatureDef(b);
                io.quanta.tflite.schema.SignatureDef.addInputs(b, inputs);
                io.quanta.tflite.schema.SignatureDef.addOutputs(b, outputs);
                io.quanta.tflite.schema.SignatureDef.addSignatureKey(b, key);
                io.quanta.tflite.schema.SignatureDef.addSubgraphIndex(b, s.subgraphIndex());
                offsets[i] = io.quanta.tflite.schema.SignatureDef.endSignatureDef(b);
            }
            return io.quanta.tflite.schema.Model.createSignatureDefsVector(b, offsets);
        }

        private int[] tensorMaps(Map<String, Integer> map) {
            int[] offsets = new int[map.size()];
            int k = 0;
            for (Map.Entry<String, Integer> e : map.entrySet()) {
                int name = b.createString(e.getKey());
                TensorMap.startTensorMap(b);
                TensorMap.addName(b, name);
                TensorMap.addTensorIndex(b, e.getValue());
                offsets[k++] = TensorMap.endTensorMap(b);
            }
            return offsets;
        }
    }
}
