package io.quanta.tflite;

import io.quanta.graph.DataType;
import io.quanta.graph.GraphValidator;
import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.OpOptions;
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
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Reads a .tflite file into an in-memory {@link Model}, validating everything the rest of Quanta relies on:
 * the "TFL3" identifier, every index (operator codes, tensors, buffers, subgraphs), shapes, the size of each
 * constant buffer against its tensor's type and shape, and every vector length against the file size before
 * anything is allocated. Anything malformed, truncated or hostile gives a {@link ModelFormatException} naming
 * what is wrong and where; no other exception escapes for bad content (I/O failures are
 * {@link UncheckedIOException}).
 *
 * <p>Options tables with fields that {@link OpOptions} does not model read as {@link OpOptions.Unmodelled}
 * (the op keeps its type and code), which the writer refuses to re-emit. Not kept: the deprecated
 * {@code metadata_buffer} list (validated, then dropped: {@code metadata} entries carry the same buffers),
 * {@code mutating_variable_inputs}, debug metadata indices, and {@code has_rank}. Not supported (rejected with
 * a clear message): sparse tensors, non-affine quantization schemes (custom, block-wise, multi-axis), and
 * tensor types outside {@link DataType}.
 */
public final class ModelReader {
    static final String FILE_IDENTIFIER = "TFL3";
    /** Above this a file cannot be one Java array: map the flatbuffer and read appended data from the channel. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    private ModelReader() {}

    public static Model read(Path file) {
        try {
            long size = Files.size(file);
            checkFitsHeap(file, size);
            if (size <= MAX_ARRAY) {
                byte[] bytes = Files.readAllBytes(file);
                return parse(ByteBuffer.wrap(bytes), arrayData(bytes), file.toString(), true);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                // Files over 2 GiB keep their large buffers after the flatbuffer, which itself stays under 2 GiB.
                ByteBuffer head = channel.map(FileChannel.MapMode.READ_ONLY, 0, MAX_ARRAY);
                return parse(head, channelData(channel, size), file.toString(), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a model file whose constant buffers, copied onto the heap, would not fit in half of it: a typed error
     * now rather than OutOfMemoryError later.
     */
    public static void checkFitsHeap(Path file, long size) {
        long room = Runtime.getRuntime().maxMemory() / 2;
        if (size > room) {
            throw new ModelFormatException(file + ": model file of " + GraphValidator.human(size)
                    + " is larger than half the Java heap (" + GraphValidator.human(room)
                    + "): give Java a larger heap (-Xmx, or the pod's memory limit)");
        }
    }

    public static Model read(byte[] bytes) {
        return parse(ByteBuffer.wrap(bytes), arrayData(bytes), "model bytes", true);
    }

    /**
     * The flatbuffer's content without the graph check: for tests of the format layer alone, whose one-op models
     * need not be runnable.
     */
    static Model readFormatOnly(byte[] bytes) {
        return parse(ByteBuffer.wrap(bytes), arrayData(bytes), "model bytes", false);
    }

    /** Bytes of the file outside the flatbuffer (the offset/size form of buffers in files over 2 GiB). */
    interface FileData {
        long length();

        byte[] read(long offset, int size) throws IOException;
    }

    private static FileData arrayData(byte[] bytes) {
        return new FileData() {
            public long length() {
                return bytes.length;
            }

            public byte[] read(long offset, int size) {
                return Arrays.copyOfRange(bytes, (int) offset, (int) offset + size);
            }
        };
    }

    private static FileData channelData(FileChannel channel, long length) {
        return new FileData() {
            public long length() {
                return length;
            }

            public byte[] read(long offset, int size) throws IOException {
                ByteBuffer out = ByteBuffer.allocate(size);
                while (out.hasRemaining()) {
                    if (channel.read(out, offset + out.position()) < 0) {
                        throw new IOException("unexpected end of file");
                    }
                }
                return out.array();
            }
        };
    }

    private static Model parse(ByteBuffer bb, FileData file, String source, boolean validate) {
        Context cx = new Context(bb.order(ByteOrder.LITTLE_ENDIAN), file, source);
        Model model;
        try {
            model = cx.model();
        } catch (Problem p) {
            throw new ModelFormatException(source + ": " + cx.where + ": " + p.getMessage());
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // flatbuffers-java reads offsets straight from the file: a bad one surfaces as a buffer exception.
            // The message stays free of Java class names: the user sees what is wrong, --verbose the cause.
            throw new ModelFormatException(
                    source + ": " + cx.where + ": corrupt or truncated flatbuffer"
                            + " (an offset or length points outside the file)",
                    e);
        }
        if (!validate) {
            return model;
        }
        try {
            // Read, then checked as a whole: each op's shapes against its rule, so that kernels may trust them.
            GraphValidator.validate(model);
        } catch (ModelInvalidException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
        return model;
    }

    /** A validation failure inside the reader; {@link #parse} turns it into a ModelFormatException with context. */
    static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /** One parse: the file, a budget of decoded elements, and where the reader is (for messages). */
    static final class Context {
        private final ByteBuffer bb;
        private final FileData file;
        private final String source;
        /** Flatbuffers may point many tables at one vector: cap what a small file can make us decode. */
        private long budget;

        String where = "model";
        private io.quanta.tflite.schema.Model root;
        private int bufferCount;
        private byte[][] bufferCache;
        private boolean[] bufferRead;

        Context(ByteBuffer bb, FileData file, String source) {
            this.bb = bb;
            this.file = file;
            this.source = source;
            this.budget = 4L * bb.capacity() + (1 << 16);
        }

        Problem fail(String message) {
            return new Problem(message);
        }

        private void charge(long elements) {
            budget -= elements;
            if (budget < 0) {
                throw fail("the file decodes to far more data than it holds (shared or looping offsets)");
            }
        }

        /** Checks a vector length read from the file against the file size, before anything is allocated. */
        int length(int n, int elementSize, String what) {
            if (n < 0 || (long) n * elementSize > bb.capacity()) {
                throw fail(what + " claims " + Integer.toUnsignedString(n) + " elements, more than the " + bb.capacity()
                        + "-byte file can hold");
            }
            charge(n);
            return n;
        }

        private ByteBuffer vector(IntSupplier length, Supplier<ByteBuffer> bytes, int elementSize, String what) {
            int n = length(length.getAsInt(), elementSize, what);
            ByteBuffer v = bytes.get();
            if (v == null) {
                return null;
            }
            if (v.remaining() != n * elementSize) {
                throw fail(what + " runs past the end of the file");
            }
            return v.order(ByteOrder.LITTLE_ENDIAN);
        }

        /** An int vector field; empty when absent. */
        int[] ints(IntSupplier length, Supplier<ByteBuffer> bytes, String what) {
            ByteBuffer v = vector(length, bytes, 4, what);
            int[] out = new int[v == null ? 0 : v.remaining() / 4];
            if (v != null) {
                v.asIntBuffer().get(out);
            }
            return out;
        }

        float[] floats(IntSupplier length, Supplier<ByteBuffer> bytes, String what) {
            ByteBuffer v = vector(length, bytes, 4, what);
            float[] out = new float[v == null ? 0 : v.remaining() / 4];
            if (v != null) {
                v.asFloatBuffer().get(out);
            }
            return out;
        }

        long[] longs(IntSupplier length, Supplier<ByteBuffer> bytes, String what) {
            ByteBuffer v = vector(length, bytes, 8, what);
            long[] out = new long[v == null ? 0 : v.remaining() / 8];
            if (v != null) {
                v.asLongBuffer().get(out);
            }
            return out;
        }

        /** A byte vector field; null when absent. */
        byte[] bytes(IntSupplier length, Supplier<ByteBuffer> bytes, String what) {
            ByteBuffer v = vector(length, bytes, 1, what);
            if (v == null) {
                return null;
            }
            byte[] out = new byte[v.remaining()];
            v.get(out);
            return out;
        }

        /** A string field (its bytes bounded by the file before decoding); null when absent. */
        String string(Supplier<ByteBuffer> bytes, String what) {
            ByteBuffer v = bytes.get();
            if (v == null) {
                return null;
            }
            charge(v.remaining());
            byte[] utf8 = new byte[v.remaining()];
            v.get(utf8);
            return new String(utf8, StandardCharsets.UTF_8);
        }

        /** The length of a vector of tables (4-byte offsets), checked against the file. */
        int tables(int n, String what) {
            return length(n, 4, what);
        }

        Model model() throws IOException {
            int size = bb.capacity();
            if (size < 8) {
                throw fail("file too short to be a TFLite model (" + size + " bytes)");
            }
            byte[] id = new byte[4];
            bb.get(4, id);
            if (!Arrays.equals(id, FILE_IDENTIFIER.getBytes(StandardCharsets.US_ASCII))) {
                throw fail("not a TFLite model: file identifier is '" + printable(id) + "', expected '"
                        + FILE_IDENTIFIER + "'");
            }
            long rootOffset = Integer.toUnsignedLong(bb.getInt(0));
            if (rootOffset < 8 || rootOffset > size - 4) {
                throw fail("root table offset " + rootOffset + " lies outside the " + size + "-byte file");
            }
            root = io.quanta.tflite.schema.Model.getRootAsModel(bb);
            long version = root.version();
            if (version > Integer.MAX_VALUE) {
                throw fail("schema version " + version + " is not valid");
            }
            String description = string(root::descriptionAsByteBuffer, "description");

            where = "buffers";
            bufferCount = tables(root.buffersLength(), "buffers");
            bufferCache = new byte[bufferCount][];
            bufferRead = new boolean[bufferCount];

            where = "operator codes";
            List<OpCode> codes = operatorCodes();

            where = "subgraphs";
            int subgraphCount = tables(root.subgraphsLength(), "subgraphs");
            if (subgraphCount == 0) {
                where = "subgraphs";
                throw fail("the model has no subgraph");
            }
            List<Subgraph> subgraphs = new ArrayList<>(subgraphCount);
            for (int s = 0; s < subgraphCount; s++) {
                where = "subgraph " + s;
                subgraphs.add(subgraph(root.subgraphs(new SubGraph(), s), s, codes));
            }

            where = "metadata";
            List<Metadata> metadata = metadata();
            where = "signature defs";
            List<SignatureDef> signatures = signatureDefs(subgraphs);
            where = "model";
            return new Model((int) version, description, subgraphs, metadata, signatures);
        }

        /** A shape for messages, shortened when a corrupt file makes it absurdly long. */
        private static String text(int[] dims) {
            if (dims.length <= 8) {
                return Arrays.toString(dims);
            }
            return Arrays.toString(Arrays.copyOf(dims, 8)).replace("]", ", ... (" + dims.length + " dims)]");
        }

        private static String printable(byte[] id) {
            StringBuilder b = new StringBuilder();
            for (byte c : id) {
                b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xff));
            }
            return b.toString();
        }

        /** What an operator code resolves to. */
        private record OpCode(OpType type, int builtinCode, String customCode, int version) {}

        private List<OpCode> operatorCodes() {
            int n = tables(root.operatorCodesLength(), "operator codes");
            List<OpCode> codes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                where = "operator code " + i;
                OperatorCode oc = root.operatorCodes(new OperatorCode(), i);
                int deprecated = oc.deprecatedBuiltinCode();
                int extended = oc.builtinCode();
                if (deprecated < 0 || extended < 0) {
                    throw fail("negative builtin code (deprecated_builtin_code " + deprecated + ", builtin_code "
                            + extended + ")");
                }
                int code = TfLiteTypes.effectiveBuiltinCode(deprecated, extended);
                OpType type = TfLiteTypes.opType(code);
                String custom = string(oc::customCodeAsByteBuffer, "custom_code");
                if (type == OpType.CUSTOM && custom == null) {
                    throw fail("custom operator without a custom_code");
                }
                codes.add(new OpCode(type, code, type == OpType.CUSTOM ? custom : null, oc.version()));
            }
            return codes;
        }

        /** The data of buffer {@code index}, read once and shared by every user; null when empty. */
        private byte[] buffer(long index, String user) throws IOException {
            if (index < 0 || index >= bufferCount) {
                throw fail(user + " refers to buffer " + index + ", but the model has " + bufferCount + " buffers");
            }
            int i = (int) index;
            if (!bufferRead[i]) {
                bufferCache[i] = readBuffer(i, user);
                bufferRead[i] = true;
            }
            return bufferCache[i];
        }

        private byte[] readBuffer(int i, String user) throws IOException {
            Buffer b = root.buffers(new Buffer(), i);
            String what = "buffer " + i + " (of " + user + ")";
            long offset = b.offset();
            if (Long.compareUnsigned(offset, 1) > 0) {
                return external(offset, b.size(), what);
            }
            byte[] data = bytes(b::dataLength, b::dataAsByteBuffer, what);
            return data == null || data.length == 0 ? null : data;
        }

        /** Data stored after the flatbuffer: offset from the file start, which must hold all of it. */
        private byte[] external(long offset, long size, String what) throws IOException {
            long length = file.length();
            if (offset < 0 || size < 0 || offset > length || size > length - offset) {
                throw fail(what + " lies at offset " + Long.toUnsignedString(offset) + " with size "
                        + Long.toUnsignedString(size) + ", outside the " + length + "-byte file");
            }
            if (size > MAX_ARRAY) {
                throw fail(what + " holds " + size + " bytes, more than one Java array can hold");
            }
            if (size == 0) {
                return null;
            }
            return file.read(offset, (int) size);
        }

        private Subgraph subgraph(SubGraph sg, int s, List<OpCode> codes) throws IOException {
            String name = string(sg::nameAsByteBuffer, "name");
            where = "subgraph " + s + " tensors";
            int tensorCount = tables(sg.tensorsLength(), "tensors");
            List<Tensor> tensors = new ArrayList<>(tensorCount);
            io.quanta.tflite.schema.Tensor ft = new io.quanta.tflite.schema.Tensor();
            for (int t = 0; t < tensorCount; t++) {
                where = "subgraph " + s + ", tensor " + t;
                tensors.add(tensor(sg.tensors(ft, t), t));
            }
            where = "subgraph " + s + " inputs";
            int[] inputs =
                    indices(ints(sg::inputsLength, sg::inputsAsByteBuffer, "inputs"), tensorCount, false, "input");
            where = "subgraph " + s + " outputs";
            int[] outputs =
                    indices(ints(sg::outputsLength, sg::outputsAsByteBuffer, "outputs"), tensorCount, false, "output");

            where = "subgraph " + s + " operators";
            int opCount = tables(sg.operatorsLength(), "operators");
            List<Operator> ops = new ArrayList<>(opCount);
            io.quanta.tflite.schema.Operator fo = new io.quanta.tflite.schema.Operator();
            for (int n = 0; n < opCount; n++) {
                where = "subgraph " + s + ", operator " + n;
                ops.add(operator(sg.operators(fo, n), codes, tensorCount));
            }
            return new Subgraph(name, tensors, ops, inputs, outputs);
        }

        private int[] indices(int[] values, int tensorCount, boolean optional, String role) {
            for (int k = 0; k < values.length; k++) {
                int v = values[k];
                if (v >= tensorCount || v < (optional ? -1 : 0)) {
                    throw fail(role + " " + k + " refers to tensor " + v + ", but the subgraph has " + tensorCount
                            + " tensors");
                }
            }
            return values;
        }

        private Tensor tensor(io.quanta.tflite.schema.Tensor ft, int index) throws IOException {
            String name = string(ft::nameAsByteBuffer, "name");
            where = where + " '" + (name == null ? "" : name) + "'";
            int typeCode = ft.type();
            DataType type = TfLiteTypes.dataType(typeCode);
            if (type == null) {
                throw fail("tensor type " + TfLiteTypes.tensorTypeName(typeCode) + " (" + typeCode
                        + ") is not supported by Quanta");
            }
            int[] shape = ints(ft::shapeLength, ft::shapeAsByteBuffer, "shape");
            for (int d : shape) {
                if (d < 0) {
                    throw fail("shape " + text(shape) + " has a negative dimension");
                }
            }
            int[] signature = null;
            if (ft.shapeSignatureAsByteBuffer() != null) {
                signature = ints(ft::shapeSignatureLength, ft::shapeSignatureAsByteBuffer, "shape_signature");
                if (signature.length != shape.length) {
                    throw fail(
                            "shape_signature " + text(signature) + " does not match the rank of shape " + text(shape));
                }
                for (int d : signature) {
                    if (d < -1) {
                        throw fail("shape_signature " + text(signature) + " has a dimension below -1");
                    }
                }
            }
            if (ft.sparsity() != null) {
                throw fail("sparse tensors are not supported by Quanta");
            }
            Tensor t = new Tensor(name, type, shape).shapeSignature(signature).variable(ft.isVariable());
            QuantizationParameters q = ft.quantization();
            if (q != null) {
                t.quant(quant(q, shape));
            }
            byte[] data = buffer(ft.buffer(), "tensor " + index);
            if (data != null) {
                long expected = expectedBytes(type, shape);
                if (expected >= 0 && expected != data.length) {
                    throw fail("constant " + type + text(shape) + " needs " + expected + " bytes, but its" + " buffer "
                            + ft.buffer() + " holds " + data.length);
                }
                t.data(data);
            }
            return t;
        }

        /** Bytes a constant of this type and shape occupies; -1 for types without a fixed size (strings). */
        private long expectedBytes(DataType type, int[] shape) {
            long n = 1;
            for (int d : shape) {
                if (d != 0 && n > Long.MAX_VALUE / d) {
                    throw fail("shape " + text(shape) + " has too many elements");
                }
                n *= d;
            }
            return switch (type) {
                case STRING, RESOURCE, VARIANT -> -1;
                case INT4 -> (n + 1) / 2;
                default -> n > Long.MAX_VALUE / type.byteSize() ? Long.MAX_VALUE : n * type.byteSize();
            };
        }

        private QuantParams quant(QuantizationParameters q, int[] shape) {
            if (q.detailsType() != 0) {
                throw fail("quantization scheme type " + (q.detailsType() & 0xff)
                        + " (custom, block-wise or multi-axis) is not supported by Quanta");
            }
            float[] scale = floats(q::scaleLength, q::scaleAsByteBuffer, "quantization scale");
            long[] zeroPoint = longs(q::zeroPointLength, q::zeroPointAsByteBuffer, "quantization zero_point");
            float[] min = floats(q::minLength, q::minAsByteBuffer, "quantization min");
            float[] max = floats(q::maxLength, q::maxAsByteBuffer, "quantization max");
            int axis = q.quantizedDimension();
            if (scale.length == 0 && zeroPoint.length == 0 && min.length == 0 && max.length == 0) {
                return null; // converters write an empty table for unquantized tensors
            }
            if (scale.length > 0 && zeroPoint.length != scale.length) {
                throw fail("quantization has " + scale.length + " scales but " + zeroPoint.length + " zero points");
            }
            if (scale.length > 1) {
                if (axis < 0 || axis >= shape.length) {
                    throw fail("per-channel quantization axis " + axis + " is outside shape " + text(shape));
                }
                if (shape[axis] != scale.length) {
                    throw fail(scale.length + " per-channel scales for dimension " + axis + " of size " + shape[axis]);
                }
            }
            return new QuantParams(scale, zeroPoint, axis, min, max);
        }

        private Operator operator(io.quanta.tflite.schema.Operator fo, List<OpCode> codes, int tensorCount)
                throws IOException {
            long codeIndex = fo.opcodeIndex();
            if (codeIndex >= codes.size()) {
                throw fail("opcode index " + codeIndex + " is out of range (" + codes.size() + " operator codes)");
            }
            OpCode code = codes.get((int) codeIndex);
            where = where + " ("
                    + (code.type == OpType.CUSTOM ? code.customCode : TfLiteTypes.builtinName(code.builtinCode)) + ")";
            int[] inputs =
                    indices(ints(fo::inputsLength, fo::inputsAsByteBuffer, "inputs"), tensorCount, true, "input");
            int[] outputs =
                    indices(ints(fo::outputsLength, fo::outputsAsByteBuffer, "outputs"), tensorCount, false, "output");
            int[] intermediates = indices(
                    ints(fo::intermediatesLength, fo::intermediatesAsByteBuffer, "intermediates"),
                    tensorCount,
                    false,
                    "intermediate");
            OpOptions options = options(fo);
            Operator op = new Operator(code.type, code.builtinCode, code.version, inputs, outputs, options)
                    .customCode(code.customCode)
                    .intermediates(intermediates);
            byte[] custom = bytes(fo::customOptionsLength, fo::customOptionsAsByteBuffer, "custom_options");
            if (Long.compareUnsigned(fo.largeCustomOptionsOffset(), 1) > 0) {
                custom = external(fo.largeCustomOptionsOffset(), fo.largeCustomOptionsSize(), "large custom options");
                custom = custom == null ? new byte[0] : custom;
            }
            return op.customOptions(custom);
        }

        private OpOptions options(io.quanta.tflite.schema.Operator fo) {
            int first = fo.builtinOptionsType() & 0xff;
            int second = fo.builtinOptions2Type() & 0xff;
            if (first != 0 && second != 0) {
                throw fail("both builtin_options and builtin_options_2 are set");
            }
            if (first == 0 && second == 0) {
                return null;
            }
            boolean useSecond = second != 0;
            String table = OptionsCodec.tableName(useSecond ? second : first, useSecond);
            if (table == null) {
                throw fail("unknown builtin options type " + (useSecond ? second : first)
                        + (useSecond ? " in builtin_options_2" : ""));
            }
            return OptionsCodec.decode(table, useSecond ? fo::builtinOptions2 : fo::builtinOptions, this);
        }

        private List<Metadata> metadata() throws IOException {
            int[] legacy = ints(root::metadataBufferLength, root::metadataBufferAsByteBuffer, "metadata_buffer");
            for (int b : legacy) {
                if (b < 0 || b >= bufferCount) {
                    throw fail("metadata_buffer refers to buffer " + b + ", but the model has " + bufferCount
                            + " buffers");
                }
            }
            int n = tables(root.metadataLength(), "metadata");
            List<Metadata> out = new ArrayList<>(n);
            io.quanta.tflite.schema.Metadata fm = new io.quanta.tflite.schema.Metadata();
            for (int i = 0; i < n; i++) {
                where = "metadata " + i;
                root.metadata(fm, i);
                String name = string(fm::nameAsByteBuffer, "name");
                byte[] data = buffer(fm.buffer(), "metadata '" + name + "'");
                out.add(new Metadata(name == null ? "" : name, data == null ? new byte[0] : data));
            }
            return out;
        }

        private List<SignatureDef> signatureDefs(List<Subgraph> subgraphs) {
            int n = tables(root.signatureDefsLength(), "signature_defs");
            List<SignatureDef> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                where = "signature def " + i;
                io.quanta.tflite.schema.SignatureDef fs =
                        root.signatureDefs(new io.quanta.tflite.schema.SignatureDef(), i);
                String key = string(fs::signatureKeyAsByteBuffer, "signature_key");
                long sg = fs.subgraphIndex();
                if (sg >= subgraphs.size()) {
                    throw fail("signature '" + key + "' refers to subgraph " + sg + ", but the model has "
                            + subgraphs.size());
                }
                int tensorCount = subgraphs.get((int) sg).tensors().size();
                Map<String, Integer> inputs =
                        tensorMap(fs.inputsLength(), k -> fs.inputs(new TensorMap(), k), tensorCount, "input");
                Map<String, Integer> outputs =
                        tensorMap(fs.outputsLength(), k -> fs.outputs(new TensorMap(), k), tensorCount, "output");
                out.add(new SignatureDef(key == null ? "" : key, (int) sg, inputs, outputs));
            }
            return out;
        }

        private Map<String, Integer> tensorMap(
                int length, java.util.function.IntFunction<TensorMap> entry, int tensorCount, String role) {
            int n = tables(length, role + "s");
            Map<String, Integer> map = new LinkedHashMap<>();
            for (int k = 0; k < n; k++) {
                TensorMap m = entry.apply(k);
                String name = string(m::nameAsByteBuffer, "name");
                long t = m.tensorIndex();
                if (t >= tensorCount) {
                    throw fail(role + " '" + name + "' refers to tensor " + t + ", but the subgraph has " + tensorCount
                            + " tensors");
                }
                map.put(name == null ? "" : name, (int) t);
            }
            return map;
        }
    }
}
