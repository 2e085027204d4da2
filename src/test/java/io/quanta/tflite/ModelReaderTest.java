package io.quanta.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Padding;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.testing.SharedAssets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ModelReaderTest {
    static Stream<Path> models() {
        return SharedAssets.allModels();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everySharedModelReads(Path file) {
        Model m = ModelReader.read(file);
        assertEquals(3, m.version());
        Subgraph g = m.mainGraph();
        assertTrue(g.inputs().length > 0 && g.outputs().length > 0);
        assertFalse(g.operators().isEmpty());
        for (Operator op : g.operators()) {
            assertFalse(op.type() == OpType.OTHER, op + " should be a named op");
            assertFalse(op.options() instanceof OpOptions.Unmodelled, op + " has unmodelled options");
        }
    }

    @Test
    void vwwFloatFacts() {
        Model m = ModelReader.read(SharedAssets.floatModel("tiny_vww_96_float.tflite"));
        Tensor in = m.mainGraph().inputTensor(0);
        assertEquals(DataType.FLOAT32, in.type());
        assertArrayEquals(new int[] {1, 96, 96, 3}, in.shape());
        assertArrayEquals(new int[] {-1, 96, 96, 3}, in.shapeSignature());
        assertNull(in.data());
        Operator first = m.mainGraph().operators().get(0);
        assertEquals(OpType.CONV_2D, first.type());
        assertEquals(3, first.builtinCode());
        OpOptions.Conv2D conv = first.options(OpOptions.Conv2D.class);
        assertEquals(Padding.SAME, conv.padding());
        assertEquals(1, conv.dilationW());
        Tensor weights = m.mainGraph().tensor(first.input(1));
        assertEquals(DataType.FLOAT32, weights.type());
        assertEquals(weights.elementCount() * 4, weights.data().length);
        assertEquals("min_runtime_version", m.metadata().get(0).name());
    }

    @Test
    void int8ReferenceUsesPerChannelWeights() {
        Model m = ModelReader.read(SharedAssets.int8RefModel("tiny_vww_96_int8.tflite"));
        Subgraph g = m.mainGraph();
        assertEquals(DataType.INT8, g.inputTensor(0).type());
        int convs = 0;
        int depthwise = 0;
        for (Operator op : g.operators()) {
            if (op.type() == OpType.CONV_2D || op.type() == OpType.DEPTHWISE_CONV_2D) {
                Tensor w = g.tensor(op.input(1));
                QuantParams q = w.quant();
                assertEquals(DataType.INT8, w.type());
                assertTrue(q.isPerChannel(), op + " weights per channel");
                int axis = op.type() == OpType.CONV_2D ? 0 : 3;
                assertEquals(axis, q.quantizedDimension(), op + " weight axis");
                assertEquals(w.dim(axis), q.scale().length);
                assertEquals(0, q.zeroPoint(0));
                Tensor bias = g.tensor(op.input(2));
                assertEquals(DataType.INT32, bias.type());
                if (op.type() == OpType.CONV_2D) convs++;
                else depthwise++;
            }
        }
        assertTrue(convs > 0 && depthwise > 0);
        Tensor out = g.outputTensor(0);
        assertEquals(1f / 256, out.quant().scale(0));
        assertEquals(-128, out.quant().zeroPoint(0));
    }

    @Test
    void helloWorldHasSignatureAndMetadata() {
        Model m = ModelReader.read(SharedAssets.floatModel("tflm_hello_world_float.tflite"));
        assertEquals(1, m.signatureDefs().size());
        assertEquals("serving_default", m.signatureDefs().get(0).key());
        assertEquals(0, m.signatureDefs().get(0).inputs().get("dense_input"));
        assertEquals(3, m.mainGraph().operators().size());
        assertTrue(m.metadata().stream().anyMatch(md -> md.name().equals("CONVERSION_METADATA")));
    }

    @Test
    void lstmInt8KeepsIntermediatesAndVariables() {
        Model m = ModelReader.read(SharedAssets.int8RefModel("tflm_mnist_lstm_int8.tflite"));
        Operator lstm = m.mainGraph().operators().stream()
                .filter(o -> o.type() == OpType.UNIDIRECTIONAL_SEQUENCE_LSTM)
                .findFirst()
                .orElseThrow();
        assertTrue(lstm.intermediates().length > 0);
        assertTrue(
                java.util.Arrays.stream(lstm.intermediates())
                        .anyMatch(t -> m.mainGraph().tensor(t).isQuantized()),
                "the quantized LSTM records gate scales on its intermediates");
        assertTrue(m.mainGraph().tensors().stream().anyMatch(Tensor::isVariable));
        assertNotNull(lstm.options(OpOptions.SequenceLstm.class));
    }

    @Test
    void hybridKwsHasInt8ConvWeightsInAFloatGraph() {
        Model m = ModelReader.read(SharedAssets.floatModel("tiny_kws_dscnn_hybrid_float.tflite"));
        Operator conv = m.mainGraph().operators().stream()
                .filter(o -> o.type() == OpType.CONV_2D)
                .findFirst()
                .orElseThrow();
        assertEquals(DataType.INT8, m.mainGraph().tensor(conv.input(1)).type());
        assertEquals(DataType.FLOAT32, m.mainGraph().tensor(conv.output(0)).type());
    }

    @Test
    void constantsReadOnceShareTheirArray() {
        // Reading the same buffer for two users gives the same array, so the writer can keep the sharing.
        Model m = ModelReader.read(SharedAssets.floatModel("tflm_hello_world_float.tflite"));
        byte[] w =
                m.mainGraph().tensor(m.mainGraph().operators().get(0).input(1)).data();
        Model copy = m.copy();
        assertSame(
                w,
                copy.mainGraph()
                        .tensor(copy.mainGraph().operators().get(0).input(1))
                        .data());
    }

    @Test
    void mapsTypesAndOpsByName() {
        assertEquals(DataType.INT8, TfLiteTypes.dataType(9));
        assertEquals(9, TfLiteTypes.tensorType(DataType.INT8));
        assertEquals(18, TfLiteTypes.tensorType(DataType.BFLOAT16));
        assertNull(TfLiteTypes.dataType(19), "INT2 has no Quanta type");
        assertEquals(OpType.CUSTOM, TfLiteTypes.opType(32));
        assertEquals(OpType.OTHER, TfLiteTypes.opType(5), "DEPTH_TO_SPACE is not named by OpType");
        assertEquals(OpType.OTHER, TfLiteTypes.opType(500));
        assertEquals(126, TfLiteTypes.builtinCode(OpType.BATCH_MATMUL));
        assertEquals("STABLEHLO_CASE", TfLiteTypes.builtinName(209));
        assertEquals(150, TfLiteTypes.effectiveBuiltinCode(127, 150));
        assertEquals(3, TfLiteTypes.effectiveBuiltinCode(3, 0));
        assertEquals(127, TfLiteTypes.deprecatedBuiltinCode(150));
        for (OpType t : OpType.values()) {
            if (t != OpType.OTHER) {
                assertEquals(t, TfLiteTypes.opType(TfLiteTypes.builtinCode(t)));
            }
        }
    }
}
