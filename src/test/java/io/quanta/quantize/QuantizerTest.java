package io.quanta.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.testing.TestGraph;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuantizerTest {

    // Independent statement of the spec's formulas (the code under test mirrors the converter's float rounding).
    private static float scaleOf(float min, float max) {
        return (Math.max(max, 0f) - Math.min(min, 0f)) / 255f;
    }

    private static long zeroPointOf(float min, float max) {
        float scale = scaleOf(min, max);
        long zp = Math.round(-128.0 - Math.min(min, 0f) / scale);
        return Math.max(-128, Math.min(127, zp));
    }

    private static void assertActivation(Tensor t, float min, float max) {
        assertEquals(DataType.INT8, t.type(), t.name());
        assertEquals(scaleOf(min, max), t.quant().scale()[0], scaleOf(min, max) * 1e-6, t.name() + " scale");
        assertEquals(zeroPointOf(min, max), t.quant().zeroPoint(0), t.name() + " zero point");
    }

    private static Tensor named(Subgraph g, String name) {
        int i = g.tensorIndex(name);
        assertTrue(i >= 0, "no tensor " + name + " in " + g.tensors());
        return g.tensor(i);
    }

    private static List<String> opNames(Subgraph g) {
        return g.operators().stream().map(Operator::displayName).toList();
    }

    private static byte[] int8(Tensor t) {
        return t.data();
    }

    @Test
    void int8ModeQuantizesEveryOpAndPutsQuantizeDequantizeAtTheFloatInterface() {
        ConvNet net = new ConvNet();
        Model source = net.model();
        QuantizationResult result = Quantizer.quantize(source, net.b.ranges(), QuantizationOptions.defaults());
        Subgraph g = result.model().mainGraph();

        assertEquals(
                List.of(
                        "QUANTIZE",
                        "CONV_2D",
                        "RELU",
                        "MAX_POOL_2D",
                        "RESHAPE",
                        "FULLY_CONNECTED",
                        "SOFTMAX",
                        "DEQUANTIZE"),
                opNames(g));
        assertEquals(
                List.of(1, 3, 2, 2, 1, 4, 2, 2),
                g.operators().stream().map(Operator::version).toList());

        // The interface stays float, under its original names.
        assertEquals(DataType.FLOAT32, g.inputTensor(0).type());
        assertEquals("input", g.inputTensor(0).name());
        assertEquals(DataType.FLOAT32, g.outputTensor(0).type());
        assertEquals("probs", g.outputTensor(0).name());

        Tensor input8 = g.tensor(g.operators().get(0).output(0));
        assertActivation(input8, -1f, 3f);
        assertEquals(-64, input8.quant().zeroPoint(0));
        assertActivation(named(g, "conv"), -2.5f, 1.7f);
        assertActivation(named(g, "relu"), 0f, 1.7f);
        // Pooling and reshape share their input's parameters, whatever their own calibrated range.
        assertEquals(named(g, "relu").quant(), named(g, "pool").quant());
        assertEquals(named(g, "relu").quant(), named(g, "flatten").quant());
        assertActivation(named(g, "logits"), -4.2f, 5.3f);
        Tensor softmax8 = g.tensor(g.operators().get(6).output(0));
        assertEquals(QuantParams.perTensor(1f / 256, -128), softmax8.quant());
        assertEquals(softmax8.quant(), g.tensor(g.operators().get(7).input(0)).quant());
    }

    @Test
    void convWeightsArePerChannelSymmetricAndBiasFollowsInputTimesWeightScale() {
        ConvNet net = new ConvNet();
        Subgraph g = Quantizer.quantize(net.model(), net.b.ranges(), QuantizationOptions.defaults())
                .model()
                .mainGraph();
        Operator conv = g.operators().get(1);
        Tensor w = g.tensor(conv.input(1));
        Tensor b = g.tensor(conv.input(2));
        float inScale = g.tensor(conv.input(0)).quant().scale()[0];

        assertEquals(DataType.INT8, w.type());
        assertEquals(0, w.quant().quantizedDimension());
        float s0 = 0.5f / 127;
        assertEquals(s0, w.quant().scale()[0], s0 * 1e-6);
        assertArrayEquals(new byte[] {127, -51, 0, 0}, int8(w)); // -0.2 / (0.5/127) = -50.8
        for (long zp : w.quant().zeroPoint()) assertEquals(0, zp);

        assertEquals(DataType.INT32, b.type());
        int[] bias = TensorData.ints(b.data());
        float bs0 = inScale * s0;
        assertEquals(bs0, b.quant().scale()[0], bs0 * 1e-6);
        assertEquals(Math.round(0.1 / bs0), bias[0]);

        // Channel 1 has all-zero weights: a tiny, non-zero scale; its bias would overflow int32/2 at
        // input x weight scale, so the bias scale becomes |b| / (2^31-1)/2 and the weight scale follows.
        float s1 = w.quant().scale()[1];
        assertTrue(s1 > 0 && s1 < 1e-8, "tiny scale for a dead channel: " + s1);
        assertEquals(-(Integer.MAX_VALUE / 2), bias[1], 1); // float32 scale rounding: the converter shows 2^30
        double bs1 = 0.1 / (Integer.MAX_VALUE / 2);
        assertEquals(bs1, b.quant().scale()[1], bs1 * 1e-6);
        assertEquals(bs1 / inScale, s1, s1 * 1e-5);
    }

    @Test
    void fullyConnectedWeightsArePerTensorByDefaultAndPerChannelOnRequest() {
        ConvNet net = new ConvNet();
        float maxAbs = 0;
        for (float v : net.fcWeights) maxAbs = Math.max(maxAbs, Math.abs(v));
        float scale = maxAbs / 127;

        Subgraph g = Quantizer.quantize(net.model(), net.b.ranges(), QuantizationOptions.defaults())
                .model()
                .mainGraph();
        Operator fc = g.operators().get(5);
        Tensor w = g.tensor(fc.input(1));
        assertFalse(w.quant().isPerChannel());
        assertEquals(scale, w.quant().scale()[0], scale * 1e-6);
        byte[] q = int8(w);
        for (int i = 0; i < q.length; i++) {
            assertEquals(Math.round(net.fcWeights[i] / scale), q[i], 1e-9, "weight " + i);
        }
        float inScale = g.tensor(fc.input(0)).quant().scale()[0];
        int[] bias = TensorData.ints(g.tensor(fc.input(2)).data());
        for (int i = 0; i < bias.length; i++) {
            assertEquals(Math.round(net.fcBias[i] / ((double) inScale * scale)), bias[i]);
        }

        Subgraph pc = Quantizer.quantize(
                        net.model(),
                        net.b.ranges(),
                        QuantizationOptions.defaults().withPerChannelFullyConnected(true))
                .model()
                .mainGraph();
        Tensor wpc = pc.tensor(pc.operators().get(5).input(1));
        assertEquals(3, wpc.quant().scale().length);
        for (int c = 0; c < 3; c++) {
            float m = 0;
            for (int k = 0; k < 8; k++) m = Math.max(m, Math.abs(net.fcWeights[c * 8 + k]));
            assertEquals(m / 127, wpc.quant().scale()[c], m / 127 * 1e-6);
        }
        assertEquals(3, pc.tensor(pc.operators().get(5).input(2)).quant().scale().length);
    }

    @Test
    void int8InterfaceHasNoQuantizeOrDequantizeAndNoFloatTensorLeft() {
        ConvNet net = new ConvNet();
        QuantizationOptions opts = QuantizationOptions.defaults()
                .withMode(QuantizationMode.INT8_ONLY)
                .withInputType(InterfaceType.INT8)
                .withOutputType(InterfaceType.INT8);
        Subgraph g =
                Quantizer.quantize(net.model(), net.b.ranges(), opts).model().mainGraph();
        assertEquals(List.of("CONV_2D", "RELU", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"), opNames(g));
        assertActivation(g.inputTensor(0), -1f, 3f);
        assertEquals("input", g.inputTensor(0).name());
        assertEquals(QuantParams.perTensor(1f / 256, -128), g.outputTensor(0).quant());
        assertEquals("probs", g.outputTensor(0).name());
        for (Tensor t : g.tensors()) {
            assertFalse(t.type().isFloatingPoint(), "float tensor left: " + t);
        }
    }

    @Test
    void uint8InterfaceShiftsTheZeroPointBy128AndConvertsAtTheEdges() {
        ConvNet net = new ConvNet();
        QuantizationOptions opts = QuantizationOptions.defaults()
                .withInputType(InterfaceType.UINT8)
                .withOutputType(InterfaceType.UINT8);
        Subgraph g =
                Quantizer.quantize(net.model(), net.b.ranges(), opts).model().mainGraph();
        assertEquals(
                List.of(
                        "QUANTIZE",
                        "CONV_2D",
                        "RELU",
                        "MAX_POOL_2D",
                        "RESHAPE",
                        "FULLY_CONNECTED",
                        "SOFTMAX",
                        "QUANTIZE"),
                opNames(g));
        Tensor in = g.inputTensor(0);
        Tensor in8 = g.tensor(g.operators().get(0).output(0));
        assertEquals(DataType.UINT8, in.type());
        assertEquals(DataType.INT8, in8.type());
        assertEquals(in8.quant().scale()[0], in.quant().scale()[0]);
        assertEquals(in8.quant().zeroPoint(0) + 128, in.quant().zeroPoint(0));
        assertEquals(DataType.UINT8, g.outputTensor(0).type());
        assertEquals(QuantParams.perTensor(1f / 256, 0), g.outputTensor(0).quant());
    }

    /** input -> conv -> EXP (no int8 kernel) -> SQRT (none either) -> fc -> output. */
    private static TestGraph withUnsupportedOps() {
        TestGraph b = new TestGraph();
        int in = b.activation("x", TestGraph.shape(1, 4), -1f, 1f);
        int w = b.constFloats("w", TestGraph.shape(4, 4), 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1);
        int h = b.activation("h", TestGraph.shape(1, 4), -1f, 1f);
        int e = b.activation("e", TestGraph.shape(1, 4), 0f, 2.8f);
        int s = b.activation("s", TestGraph.shape(1, 4), 0f, 1.7f);
        int w2 = b.constFloats("w2", TestGraph.shape(2, 4), 1, 1, 0, 0, 0, 0, 1, 1);
        int y = b.activation("y", TestGraph.shape(1, 2), 0f, 3.4f);
        OpOptions fc = new OpOptions.FullyConnected(Activation.NONE, 0, false, false);
        b.op(OpType.FULLY_CONNECTED, fc, new int[] {in, w, -1}, h);
        b.op(OpType.EXP, null, new int[] {h}, e);
        b.op(OpType.SQRT, null, new int[] {e}, s);
        b.op(OpType.FULLY_CONNECTED, fc, new int[] {s, w2, -1}, y);
        return b;
    }

    @Test
    void int8ModeKeepsOpsWithoutInt8KernelInFloatBetweenDequantizeAndQuantize() {
        TestGraph b = withUnsupportedOps();
        QuantizationResult r =
                Quantizer.quantize(b.model(new int[] {0}, new int[] {6}), b.ranges(), QuantizationOptions.defaults());
        Subgraph g = r.model().mainGraph();
        assertEquals(
                List.of(
                        "QUANTIZE",
                        "FULLY_CONNECTED",
                        "DEQUANTIZE",
                        "EXP",
                        "SQRT",
                        "QUANTIZE",
                        "FULLY_CONNECTED",
                        "DEQUANTIZE"),
                opNames(g));
        assertEquals(DataType.FLOAT32, named(g, "e").type());
        assertEquals(DataType.FLOAT32, named(g, "s").type());
        Operator sqrtToInt8 = g.operators().get(5);
        assertActivation(g.tensor(sqrtToInt8.output(0)), 0f, 1.7f);
        // An omitted bias (-1) still counts as an input: int8 FULLY_CONNECTED stays at version 4.
        assertEquals(4, g.operators().get(1).version());

        Map<String, OpCoverage> coverage = r.coverage();
        assertEquals(new OpCoverage(2, 0, 0), coverage.get("FULLY_CONNECTED"));
        assertEquals(new OpCoverage(0, 1, 0), coverage.get("EXP"));
        assertEquals(new OpCoverage(0, 1, 0), coverage.get("SQRT"));
        assertEquals("no int8 kernel for EXP", r.ops().get(1).reason());
    }

    @Test
    void int8OnlyModeListsEveryOpThatCannotBeQuantized() {
        TestGraph b = withUnsupportedOps();
        Model model = b.model(new int[] {0}, new int[] {6});
        UnquantizableOpsException e = assertThrows(
                UnquantizableOpsException.class,
                () -> Quantizer.quantize(
                        model, b.ranges(), QuantizationOptions.defaults().withMode(QuantizationMode.INT8_ONLY)));
        assertEquals(List.of(1, 2), e.ops().stream().map(OpReport::index).toList());
        assertTrue(e.getMessage().contains("#1 EXP inputs ['h'] outputs ['e']"), e.getMessage());
        assertTrue(e.getMessage().contains("#2 SQRT inputs ['e'] outputs ['s']"), e.getMessage());
    }

    @Test
    void anOpWithoutCalibrationRangeFallsBackToFloatWithTheReason() {
        TestGraph b = new TestGraph();
        int in = b.activation("x", TestGraph.shape(1, 4), -1f, 1f);
        int h = b.tensor("h", DataType.FLOAT32, TestGraph.shape(1, 4));
        b.op(OpType.RELU, null, new int[] {in}, h);
        QuantizationResult r =
                Quantizer.quantize(b.model(new int[] {in}, new int[] {h}), b.ranges(), QuantizationOptions.defaults());
        assertEquals(OpReport.Outcome.FLOAT_FALLBACK, r.ops().get(0).outcome());
        assertEquals("no calibration range for tensor 'h' (#1)", r.ops().get(0).reason());
        assertEquals(List.of("RELU"), opNames(r.model().mainGraph()));
    }

    @Test
    void aConstantHoldingNaNOrAnInfinityIsRefusedByName() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            TestGraph b = new TestGraph();
            int x = b.activation("x", TestGraph.shape(1, 2), -1f, 1f);
            int w = b.constFloats("w", TestGraph.shape(2, 2), 1, 2, bad, 4);
            int h = b.activation("h", TestGraph.shape(1, 2), -3f, 7f);
            b.op(
                    OpType.FULLY_CONNECTED,
                    new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                    new int[] {x, w, -1},
                    h);
            Model model = b.model(new int[] {x}, new int[] {h});
            ModelInvalidException e = assertThrows(
                    ModelInvalidException.class,
                    () -> Quantizer.quantize(model, b.ranges(), QuantizationOptions.defaults()));
            assertEquals(
                    "constant tensor 'w' holds " + bad
                            + " at element 2: it has no integer form; replace the value in the model or keep its op"
                            + " float",
                    e.getMessage());
            // Kept float, the op keeps its weights as they are.
            QuantizationResult kept = Quantizer.quantize(
                    model, b.ranges(), QuantizationOptions.defaults().withKeepFloat(List.of("FULLY_CONNECTED")));
            assertEquals(OpReport.Outcome.FLOAT_FALLBACK, kept.ops().get(0).outcome());
        }
    }

    @Test
    void concatenationInputsShareTheOutputScaleOrAreRequantized() {
        TestGraph b = new TestGraph();
        int x = b.activation("x", TestGraph.shape(1, 2), -1f, 1f);
        int w = b.constFloats("w", TestGraph.shape(2, 2), 1, 2, 3, 4);
        int h = b.activation("h", TestGraph.shape(1, 2), -3f, 7f);
        int c = b.activation("c", TestGraph.shape(1, 4), -4f, 8f);
        b.op(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {x, w, -1},
                h);
        b.op(OpType.CONCATENATION, new OpOptions.Concatenation(1, Activation.NONE), new int[] {h, x}, c);
        Subgraph g = Quantizer.quantize(
                        b.model(new int[] {x}, new int[] {c}), b.ranges(), QuantizationOptions.defaults())
                .model()
                .mainGraph();
        assertEquals(List.of("QUANTIZE", "FULLY_CONNECTED", "QUANTIZE", "CONCATENATION", "DEQUANTIZE"), opNames(g));
        Operator concat = g.operators().get(3);
        QuantParams out = g.tensor(concat.output(0)).quant();
        assertActivation(g.tensor(concat.output(0)), -4f, 8f);
        // h is produced for the concatenation alone: the FULLY_CONNECTED writes it at the shared scale.
        assertEquals(out, named(g, "h").quant());
        // x also feeds the FULLY_CONNECTED at its own scale: it is requantized.
        Operator requantize = g.operators().get(2);
        assertEquals(g.operators().get(0).output(0), requantize.input(0));
        assertEquals(out, g.tensor(requantize.output(0)).quant());
        assertEquals(2, concat.version());
    }

    @Test
    void theSourceModelIsNotModifiedAndFloatWeightsAreDropped() {
        ConvNet net = new ConvNet();
        Model source = net.model();
        int tensorsBefore = source.mainGraph().tensors().size();
        QuantizationResult r = Quantizer.quantize(source, net.b.ranges(), QuantizationOptions.defaults());
        assertEquals(tensorsBefore, source.mainGraph().tensors().size());
        for (Tensor t : source.mainGraph().tensors()) {
            assertNull(t.quant(), t.name());
        }
        assertEquals(
                List.of("CONV_2D", "RELU", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"),
                opNames(source.mainGraph()));
        for (Tensor t : r.model().mainGraph().tensors()) {
            assertFalse(t.isConstant() && t.type() == DataType.FLOAT32, "float constant left: " + t);
        }
    }

    @Test
    void theReportRecordsRangesScalesAndChannelStatistics() {
        ConvNet net = new ConvNet();
        QuantizationResult r = Quantizer.quantize(net.model(), net.b.ranges(), QuantizationOptions.defaults());
        TensorReport conv = r.tensor("conv");
        assertEquals(new Range(-2.5f, 1.7f), conv.range());
        assertEquals(TensorReport.Role.ACTIVATION, conv.role());
        assertEquals(zeroPointOf(-2.5f, 1.7f), conv.zeroPoint());
        TensorReport w = r.tensor("conv/w");
        assertEquals(TensorReport.Role.WEIGHT, w.role());
        assertEquals(0, w.axis());
        assertEquals(0.5f / 127, w.channelScaleMax(), 1e-9);
        assertTrue(w.channelScaleMin() < 1e-8);
        assertEquals(TensorReport.Role.BIAS, r.tensor("conv/b").role());
        assertEquals(new OpCoverage(1, 0, 0), r.coverage().get("CONV_2D"));
    }

    @Test
    void dynamicRangeQuantizesLargeWeightsOnlyAndKeepsActivationsFloat() {
        ConvNet net = new ConvNet();
        QuantizationOptions opts = QuantizationOptions.defaults()
                .withMode(QuantizationMode.DYNAMIC_RANGE)
                .withDynamicRangeMinElements(4);
        Subgraph g = Quantizer.quantize(net.model(), TensorRanges.none(), opts)
                .model()
                .mainGraph();
        assertEquals(List.of("CONV_2D", "RELU", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED", "SOFTMAX"), opNames(g));
        Operator conv = g.operators().get(0);
        assertEquals(DataType.INT8, g.tensor(conv.input(1)).type());
        assertTrue(g.tensor(conv.input(1)).quant().isPerChannel());
        assertEquals(DataType.FLOAT32, g.tensor(conv.input(2)).type());
        assertEquals(5, conv.version()); // hybrid per-channel CONV_2D
        Operator fc = g.operators().get(4);
        assertEquals(DataType.INT8, g.tensor(fc.input(1)).type());
        assertEquals(3, fc.version()); // hybrid FULLY_CONNECTED
        assertEquals(DataType.FLOAT32, g.tensor(conv.output(0)).type());

        Subgraph defaults = Quantizer.quantize(
                        net.model(),
                        TensorRanges.none(),
                        QuantizationOptions.defaults().withMode(QuantizationMode.DYNAMIC_RANGE))
                .model()
                .mainGraph();
        assertEquals(
                DataType.FLOAT32,
                defaults.tensor(defaults.operators().get(0).input(1)).type(),
                "weights under 1024 elements stay float");
    }

    @Test
    void float16StoresConstantsAsHalvesExpandedByDequantize() {
        ConvNet net = new ConvNet();
        QuantizationResult r = Quantizer.quantize(
                net.model(), TensorRanges.none(), QuantizationOptions.defaults().withMode(QuantizationMode.FLOAT16));
        Subgraph g = r.model().mainGraph();
        assertEquals(
                List.of(
                        "DEQUANTIZE",
                        "DEQUANTIZE",
                        "CONV_2D",
                        "RELU",
                        "MAX_POOL_2D",
                        "RESHAPE",
                        "DEQUANTIZE",
                        "DEQUANTIZE",
                        "FULLY_CONNECTED",
                        "SOFTMAX"),
                opNames(g));
        Operator dq = g.operators().get(0);
        Tensor half = g.tensor(dq.input(0));
        assertEquals(DataType.FLOAT16, half.type());
        assertEquals(3, dq.version());
        assertArrayEquals(net.convWeights, TensorData.halfFloats(half.data()), 1e-3f);
        assertEquals(dq.output(0), g.operators().get(2).input(1));
        for (Tensor t : g.tensors()) {
            assertFalse(t.isConstant() && t.type() == DataType.FLOAT32, "float32 constant left: " + t);
        }
    }

    @Test
    void minRuntimeVersionMetadataIsRaisedToCoverTheInt8Ops() {
        ConvNet net = new ConvNet();
        Model m = net.model();
        byte[] declared = java.util.Arrays.copyOf("1.5.0".getBytes(java.nio.charset.StandardCharsets.UTF_8), 16);
        Model withMetadata = new Model(
                3,
                "test",
                m.subgraphs(),
                List.of(new io.quanta.graph.Metadata("min_runtime_version", declared)),
                List.of());
        Model q = Quantizer.quantize(withMetadata, net.b.ranges(), QuantizationOptions.defaults())
                .model();
        String version =
                new String(q.metadata().get(0).data(), java.nio.charset.StandardCharsets.UTF_8).replace("\0", "");
        assertEquals("2.1.0", version); // RELU int8 (version 2) arrived in TFLite 2.1; the rest in 1.14
        assertEquals(
                "1.5.0",
                new String(withMetadata.metadata().get(0).data(), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("\0", ""));
    }

    @Test
    void anInt8TensorWithOtherConsumersIsRequantizedIntoTheConcatenationScale() {
        TestGraph b = new TestGraph();
        int x = b.activation("x", TestGraph.shape(1, 2), -1f, 1f);
        int w = b.constFloats("w", TestGraph.shape(2, 2), 1, 2, 3, 4);
        int h = b.activation("h", TestGraph.shape(1, 2), -2.9f, 7f);
        int r = b.activation("r", TestGraph.shape(1, 2), 0f, 7f);
        int c = b.activation("c", TestGraph.shape(1, 4), -4f, 8f);
        b.op(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {x, w, -1},
                h);
        b.op(OpType.RELU, null, new int[] {h}, r);
        b.op(OpType.CONCATENATION, new OpOptions.Concatenation(1, Activation.NONE), new int[] {h, r}, c);
        Subgraph g = Quantizer.quantize(
                        b.model(new int[] {x}, new int[] {c}),
                        b.ranges(),
                        QuantizationOptions.defaults()
                                .withInputType(InterfaceType.INT8)
                                .withOutputType(InterfaceType.INT8))
                .model()
                .mainGraph();
        assertEquals(List.of("FULLY_CONNECTED", "RELU", "QUANTIZE", "CONCATENATION"), opNames(g));
        assertActivation(named(g, "h"), -2.9f, 7f); // h keeps its own scale: RELU reads it too
        QuantParams shared = g.outputTensor(0).quant();
        Operator requantize = g.operators().get(2);
        assertEquals(g.tensorIndex("h"), requantize.input(0));
        assertEquals(shared, g.tensor(requantize.output(0)).quant());
        assertEquals(shared, named(g, "r").quant()); // r is produced for the concatenation alone: it adopts
        Operator concat = g.operators().get(3);
        assertEquals(List.of(requantize.output(0), g.tensorIndex("r")), List.of(concat.input(0), concat.input(1)));
    }
}
