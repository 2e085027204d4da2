package io.quanta.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.graph.SignatureDef;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.tflite.schema.SubGraph;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelWriterTest {
    private static Model oneOp(OpType type, int code, OpOptions options) {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {1, 4});
        Tensor y = new Tensor("y", DataType.FLOAT32, new int[] {1, 4});
        Operator op = new Operator(type, code, 2, new int[] {0}, new int[] {1}, options);
        return Model.of(new Subgraph("g", List.of(x, y), List.of(op), new int[] {0}, new int[] {1}));
    }

    private static OpOptions roundTrip(OpType type, int code, OpOptions options) {
        Model again = ModelReader.readFormatOnly(ModelWriter.write(oneOp(type, code, options)));
        Operator op = again.mainGraph().operators().get(0);
        assertEquals(type, op.type());
        assertEquals(code, op.builtinCode());
        return op.options();
    }

    @Test
    void everyOptionsRecordSurvivesARoundTrip() {
        List<Object[]> cases = List.of(
                new Object[] {
                    OpType.CONV_2D, new OpOptions.Conv2D(Padding.VALID, 2, 3, Activation.RELU6, 2, 4, DataType.INT64)
                },
                new Object[] {OpType.CONV_2D, new OpOptions.Conv2D(Padding.SAME, 1, 1, Activation.NONE, 1, 1)},
                new Object[] {
                    OpType.DEPTHWISE_CONV_2D,
                    new OpOptions.DepthwiseConv2D(Padding.SAME, 1, 2, 3, Activation.RELU, 1, 2)
                },
                new Object[] {
                    OpType.TRANSPOSE_CONV,
                    new OpOptions.TransposeConv(Padding.VALID, 2, 2, Activation.RELU, DataType.INT32)
                },
                new Object[] {
                    OpType.AVERAGE_POOL_2D, new OpOptions.Pool2D(Padding.VALID, 2, 2, 3, 3, Activation.RELU_N1_TO_1)
                },
                new Object[] {OpType.MAX_POOL_2D, new OpOptions.Pool2D(Padding.SAME, 1, 1, 2, 2, Activation.NONE)},
                new Object[] {
                    OpType.FULLY_CONNECTED, new OpOptions.FullyConnected(Activation.TANH, 1, true, true, DataType.INT64)
                },
                new Object[] {OpType.ADD, new OpOptions.Arithmetic(Activation.RELU, false)},
                new Object[] {OpType.SUB, new OpOptions.Arithmetic(Activation.NONE, true)},
                new Object[] {OpType.MUL, new OpOptions.Arithmetic(Activation.RELU6, true)},
                new Object[] {OpType.DIV, new OpOptions.Arithmetic(Activation.SIGN_BIT, true)},
                new Object[] {OpType.CONCATENATION, new OpOptions.Concatenation(-1, Activation.RELU)},
                new Object[] {OpType.RESHAPE, new OpOptions.Reshape(new int[] {2, -1})},
                new Object[] {OpType.RESHAPE, new OpOptions.Reshape(null)},
                new Object[] {OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {0, 2})},
                new Object[] {OpType.SOFTMAX, new OpOptions.Softmax(0.5f)},
                new Object[] {OpType.CAST, new OpOptions.Cast(DataType.UINT8, DataType.FLOAT32)},
                new Object[] {OpType.SHAPE, new OpOptions.Shape(DataType.INT64)},
                new Object[] {OpType.STRIDED_SLICE, new OpOptions.StridedSlice(1, 2, 4, 8, 16, true)},
                new Object[] {OpType.PACK, new OpOptions.Pack(3, -1)},
                new Object[] {OpType.GATHER, new OpOptions.Gather(1, 1)},
                new Object[] {OpType.MEAN, new OpOptions.Reducer(true)},
                new Object[] {
                    OpType.UNIDIRECTIONAL_SEQUENCE_LSTM,
                    new OpOptions.SequenceLstm(Activation.TANH, 10f, 0.5f, true, true, true)
                },
                new Object[] {OpType.LEAKY_RELU, new OpOptions.LeakyRelu(0.2f)},
                new Object[] {OpType.RESIZE_BILINEAR, new OpOptions.Resize(true, false)},
                new Object[] {OpType.RESIZE_NEAREST_NEIGHBOR, new OpOptions.Resize(false, true)},
                new Object[] {OpType.SPLIT, new OpOptions.Split(4)},
                new Object[] {OpType.BATCH_MATMUL, new OpOptions.BatchMatMul(true, false, true)},
                new Object[] {OpType.L2_NORMALIZATION, new OpOptions.L2Norm(Activation.RELU)},
                new Object[] {OpType.PAD, new OpOptions.Empty("PadOptions")},
                new Object[] {OpType.QUANTIZE, new OpOptions.Empty("QuantizeOptions")},
                new Object[] {OpType.HARD_SWISH, new OpOptions.Empty("HardSwishOptions")});
        for (Object[] c : cases) {
            OpType type = (OpType) c[0];
            OpOptions options = (OpOptions) c[1];
            assertEquals(options, roundTrip(type, TfLiteTypes.builtinCode(type), options), type + " " + options);
        }
        // Ops OpType does not name keep their code and their options table.
        assertEquals(new OpOptions.Split(3), roundTrip(OpType.OTHER, 102 /* SPLIT_V */, new OpOptions.Split(3)));
        assertEquals(
                new OpOptions.Empty("DilateOptions"),
                roundTrip(OpType.OTHER, 203, new OpOptions.Empty("DilateOptions")));
        assertNull(roundTrip(OpType.RELU, 19, null));
    }

    @Test
    void optionsThatDoNotFitTheOpAreRefused() {
        assertThrows(
                ModelFormatException.class,
                () -> ModelWriter.write(oneOp(OpType.CONV_2D, 3, new OpOptions.Arithmetic(Activation.NONE, true))));
        assertThrows(
                ModelFormatException.class,
                () -> ModelWriter.write(oneOp(OpType.PAD, 34, new OpOptions.Empty("Conv2DOptions"))));
    }

    @Test
    void unmodelledOptionsReadButAreNotSilentlyDropped() {
        // ARG_MAX's options (output_type) are not modelled: reading keeps the table name, writing refuses.
        FlatBufferBuilder b = new FlatBufferBuilder();
        int argMax = io.quanta.tflite.schema.ArgMaxOptions.createArgMaxOptions(b, (byte) 4);
        byte[] bytes = modelWithOptions(b, 56, io.quanta.tflite.schema.BuiltinOptions.ArgMaxOptions, argMax);
        Model m = ModelReader.read(bytes);
        Operator op = m.mainGraph().operators().get(0);
        assertEquals(OpType.OTHER, op.type());
        assertEquals("BUILTIN_56", op.displayName());
        assertEquals(new OpOptions.Unmodelled("ArgMaxOptions"), op.options());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelWriter.write(m));
        assertTrue(e.getMessage().contains("ArgMaxOptions"), e.getMessage());
    }

    /** A one-op model (tensors 0 -> 1) whose op has builtin code {@code code} and the given options. */
    private static byte[] modelWithOptions(FlatBufferBuilder b, int code, byte optionsType, int options) {
        int[] tensors = new int[2];
        for (int t = 0; t < 2; t++) {
            int shape = io.quanta.tflite.schema.Tensor.createShapeVector(b, new int[] {2});
            tensors[t] =
                    io.quanta.tflite.schema.Tensor.createTensor(b, shape, (byte) 0, 0, 0, 0, false, 0, 0, false, 0);
        }
        int in = io.quanta.tflite.schema.Operator.createInputsVector(b, new int[] {0});
        int out = io.quanta.tflite.schema.Operator.createOutputsVector(b, new int[] {1});
        io.quanta.tflite.schema.Operator.startOperator(b);
        io.quanta.tflite.schema.Operator.addInputs(b, in);
        io.quanta.tflite.schema.Operator.addOutputs(b, out);
        io.quanta.tflite.schema.Operator.addBuiltinOptionsType(b, optionsType);
        io.quanta.tflite.schema.Operator.addBuiltinOptions(b, options);
        int op = io.quanta.tflite.schema.Operator.endOperator(b);
        int sg = SubGraph.createSubGraph(
                b,
                SubGraph.createTensorsVector(b, tensors),
                SubGraph.createInputsVector(b, new int[] {0}),
                SubGraph.createOutputsVector(b, new int[] {1}),
                SubGraph.createOperatorsVector(b, new int[] {op}),
                0,
                -1);
        int opcode = io.quanta.tflite.schema.OperatorCode.createOperatorCode(
                b, TfLiteTypes.deprecatedBuiltinCode(code), 0, 1, code);
        io.quanta.tflite.schema.Buffer.startBuffer(b);
        int empty = io.quanta.tflite.schema.Buffer.endBuffer(b);
        int model = io.quanta.tflite.schema.Model.createModel(
                b,
                3,
                io.quanta.tflite.schema.Model.createOperatorCodesVector(b, new int[] {opcode}),
                io.quanta.tflite.schema.Model.createSubgraphsVector(b, new int[] {sg}),
                0,
                io.quanta.tflite.schema.Model.createBuffersVector(b, new int[] {empty}),
                0,
                0,
                0);
        b.finish(model, "TFL3");
        return b.sizedByteArray();
    }

    @Test
    void operatorCodesAreDeduplicatedAndHighCodesClamped() {
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {4});
        List<Tensor> tensors = new ArrayList<>(List.of(x));
        List<Operator> ops = new ArrayList<>();
        int[][] codeAndVersion = {{19, 1}, {19, 1}, {19, 2}, {150, 1}, {150, 1}, {0, 1}};
        for (int[] cv : codeAndVersion) {
            tensors.add(new Tensor("t" + tensors.size(), DataType.FLOAT32, new int[] {4}));
            OpType type = TfLiteTypes.opType(cv[0]);
            ops.add(new Operator(
                    type,
                    cv[0],
                    cv[1],
                    new int[] {tensors.size() - 2},
                    new int[] {tensors.size() - 1},
                    type == OpType.ADD ? new OpOptions.Arithmetic(Activation.NONE, true) : null));
        }
        Model m = Model.of(new Subgraph("g", tensors, ops, new int[] {0}, new int[] {tensors.size() - 1}));
        byte[] bytes = ModelWriter.write(m);
        io.quanta.tflite.schema.Model fb = io.quanta.tflite.schema.Model.getRootAsModel(ByteBuffer.wrap(bytes));
        assertEquals(4, fb.operatorCodesLength(), "RELU v1, RELU v2, GELU v1, ADD v1");
        assertEquals(127, fb.operatorCodes(2).deprecatedBuiltinCode());
        assertEquals(150, fb.operatorCodes(2).builtinCode());
        Model again = ModelReader.readFormatOnly(bytes);
        assertEquals(OpType.OTHER, again.mainGraph().operators().get(3).type());
        assertEquals(150, again.mainGraph().operators().get(3).builtinCode());
        assertEquals(2, again.mainGraph().operators().get(2).version());
    }

    @Test
    void constantsShareABufferOnlyWhenTheyShareTheArray() {
        byte[] shared = TensorData.of(new float[] {1, 2, 3});
        byte[] equalCopy = shared.clone();
        Tensor a = new Tensor("a", DataType.FLOAT32, new int[] {3}).data(shared);
        Tensor b = new Tensor("b", DataType.FLOAT32, new int[] {3}).data(shared);
        Tensor c = new Tensor("c", DataType.FLOAT32, new int[] {3})
                .data(equalCopy)
                .quant(new QuantParams(null, null, 0, new float[] {-1}, new float[] {1}));
        Tensor x = new Tensor("x", DataType.FLOAT32, new int[] {3}).shapeSignature(new int[] {-1});
        Model m = new Model(
                3,
                "test",
                List.of(new Subgraph("g", List.of(a, b, c, x), List.of(), new int[] {3}, new int[] {3})),
                List.of(new Metadata("note", new byte[] {1, 2, 3})),
                List.of(new SignatureDef("run", 0, Map.of("in", 3), Map.of("out", 3))));
        byte[] bytes = ModelWriter.write(m);
        io.quanta.tflite.schema.Model fb = io.quanta.tflite.schema.Model.getRootAsModel(ByteBuffer.wrap(bytes));
        assertEquals(4, fb.buffersLength(), "sentinel, shared a/b, c, metadata");
        Model again = ModelReader.read(bytes);
        Subgraph g = again.mainGraph();
        assertSame(g.tensor(0).data(), g.tensor(1).data());
        assertNotSame(g.tensor(0).data(), g.tensor(2).data());
        assertArrayEquals(new int[] {-1}, g.tensor(3).shapeSignature());
        assertArrayEquals(new float[] {-1}, g.tensor(2).quant().min());
        assertArrayEquals(new byte[] {1, 2, 3}, again.metadata().get(0).data());
        assertEquals(3, again.signatureDefs().get(0).inputs().get("in"));
        ModelAssertions.assertSameModel(m, again);
    }

    @Test
    void zeroPointsAreExpandedToOnePerScale() {
        Tensor w = new Tensor("w", DataType.INT8, new int[] {2, 1})
                .data(new byte[] {1, 2})
                .quant(new QuantParams(new float[] {0.5f, 0.25f}, null, 0, null, null));
        Model m = Model.of(new Subgraph("g", List.of(w), List.of(), new int[] {}, new int[] {}));
        QuantParams q =
                ModelReader.read(ModelWriter.write(m)).mainGraph().tensor(0).quant();
        assertArrayEquals(new long[] {0, 0}, q.zeroPoint());
        assertArrayEquals(new float[] {0.5f, 0.25f}, q.scale());
    }

    @Test
    void sharedVectorsCannotBlowUpMemory() {
        // 20 000 tensors all pointing at one table with a 20 000-dim shape: tiny file, 400M ints if decoded.
        FlatBufferBuilder b = new FlatBufferBuilder();
        int[] dims = new int[20_000];
        java.util.Arrays.fill(dims, 1);
        int shape = io.quanta.tflite.schema.Tensor.createShapeVector(b, dims);
        int tensor = io.quanta.tflite.schema.Tensor.createTensor(b, shape, (byte) 0, 0, 0, 0, false, 0, 0, false, 0);
        int[] all = new int[20_000];
        java.util.Arrays.fill(all, tensor);
        int sg = SubGraph.createSubGraph(b, SubGraph.createTensorsVector(b, all), 0, 0, 0, 0, -1);
        io.quanta.tflite.schema.Buffer.startBuffer(b);
        int empty = io.quanta.tflite.schema.Buffer.endBuffer(b);
        int model = io.quanta.tflite.schema.Model.createModel(
                b,
                3,
                0,
                io.quanta.tflite.schema.Model.createSubgraphsVector(b, new int[] {sg}),
                0,
                io.quanta.tflite.schema.Model.createBuffersVector(b, new int[] {empty}),
                0,
                0,
                0);
        b.finish(model, "TFL3");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelReader.read(b.sizedByteArray()));
        assertTrue(e.getMessage().contains("far more data"), e.getMessage());
    }
}
