package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.Dataset;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.TensorValue;
import io.quanta.pipeline.Pipeline;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3 acceptance: on every model we produce, our int8 interpreter against TFLite 2.21 on the same inputs
 * (up to 100 samples of the model's data) — every int8 output element within one step, and at least 99 % of
 * them bit-identical. An int8 output is an int8/uint8 model output, or a float output computed by DEQUANTIZE
 * from an int8 tensor (its step is that tensor's scale).
 */
@Slow
class Int8InterpreterVsTfLiteTest {
    static final int SAMPLES = 100;
    static final double MIN_IDENTICAL = 0.99;

    static Stream<Path> floatModels() {
        return SharedAssets.floatModels();
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8ModelMatchesTfLite(Path floatModel) {
        check(Runs.stem(floatModel) + " int8", floatModel, Runs.int8(floatModel).model());
    }

    @Test
    void integerOnlyVwwMatchesTfLite() {
        Path vww = SharedAssets.floatModel("tiny_vww_96_float.tflite");
        check("tiny_vww_96 int8-only int8 io", vww, Runs.vwwIntegerOnly().model());
    }

    /** Tally of one model's int8 output elements. */
    static final class Tally {
        long elements;
        long identical;
        double maxSteps;

        void add(double steps) {
            elements++;
            if (steps == 0) identical++;
            maxSteps = Math.max(maxSteps, steps);
        }
    }

    static void check(String what, Path floatModel, Path quantized) {
        Model m = ModelReader.read(quantized);
        Subgraph g = m.mainGraph();
        Dataset samples = Runs.samples(floatModel, m, SAMPLES);
        Interpreter ours = new Interpreter(g, Pipeline.quantizedKernels());
        Tally tally = new Tally();
        try (TfLiteRuntime rt = new TfLiteRuntime(quantized)) {
            for (int s = 0; s < samples.size(); s++) {
                List<io.quanta.data.NdArray> sample = samples.sample(s);
                rt.invoke(sample);
                ours.resetVariables();
                SampleFeeder.feed(ours, sample, samples.sourceOf(s));
                ours.invoke();
                for (int o = 0; o < g.outputs().length; o++) {
                    compare(g, o, ours.output(o), rt.output(o), tally);
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s: ours vs TFLite 2.21 on %d samples: %d int8 output elements, %.4f bit-identical, "
                        + "max %.3g steps%n",
                what,
                samples.size(),
                tally.elements,
                tally.elements == 0 ? Double.NaN : (double) tally.identical / tally.elements,
                tally.maxSteps);
        assertTrue(tally.elements > 0, what + ": no int8 output (its outputs come from float ops), nothing compared");
        assertTrue(
                tally.maxSteps <= 1 + 1e-4, what + ": an output element is " + tally.maxSteps + " steps from TFLite's");
        assertTrue(
                (double) tally.identical / tally.elements >= MIN_IDENTICAL,
                what + ": only " + tally.identical + " of " + tally.elements + " output elements are bit-identical");
    }

    private static void compare(Subgraph g, int o, TensorValue mine, byte[] theirs, Tally tally) {
        Tensor t = g.outputTensor(o);
        if (t.type() == DataType.INT8 || t.type() == DataType.UINT8) {
            for (int k = 0; k < mine.size(); k++) {
                int a = t.type() == DataType.UINT8 ? mine.b[k] & 0xff : mine.b[k];
                int b = t.type() == DataType.UINT8 ? theirs[k] & 0xff : theirs[k];
                tally.add(Math.abs(a - b));
            }
            return;
        }
        Tensor source = dequantizedFrom(g, g.outputs()[o]);
        if (t.type() != DataType.FLOAT32 || source == null) {
            return; // not an int8 result
        }
        double step = source.quant().scale(0);
        float[] tf = new float[theirs.length / 4];
        ByteBuffer.wrap(theirs).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(tf);
        for (int k = 0; k < mine.size(); k++) {
            tally.add(mine.f[k] == tf[k] ? 0 : Math.abs(mine.f[k] - tf[k]) / step);
        }
    }

    /** The int8 tensor a DEQUANTIZE turns into this float tensor, or null when a float op computes it. */
    private static Tensor dequantizedFrom(Subgraph g, int tensor) {
        for (Operator op : g.operators()) {
            if (op.type() == OpType.DEQUANTIZE && op.output(0) == tensor) {
                Tensor in = g.tensor(op.input(0));
                return (in.type() == DataType.INT8 || in.type() == DataType.UINT8) && in.isQuantized() ? in : null;
            }
        }
        return null;
    }
}
