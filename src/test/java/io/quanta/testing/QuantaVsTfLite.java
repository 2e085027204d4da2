package io.quanta.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.pipeline.Pipeline;
import io.quanta.tflite.ModelReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * A written model judged by what it computes, not only by TFLite accepting it: TFLite 2.21 and Quanta's interpreter
 * (the kernels the pipeline evaluates with) run the same inputs and every output must agree. An int8/uint8 output,
 * or a float output that a DEQUANTIZE computes from one, may differ by one quantization step (TFLite's optimized
 * kernels round a few elements differently); any other float output by 1e-4·max(1, max|TFLite|).
 */
public final class QuantaVsTfLite {
    static final double FLOAT_TOLERANCE = 1e-4;

    private QuantaVsTfLite() {}

    /** Runs the model file on seeded random inputs ({@link SingleOpModels#randomInputs}) in both runtimes. */
    public static void assertAgree(String what, Path file, long seed) {
        assertAgree(what, file, seed, 1);
    }

    /** As {@link #assertAgree(String, Path, long)}, allowing int8 results to differ by {@code maxSteps} steps. */
    public static void assertAgree(String what, Path file, long seed, int maxSteps) {
        Model model = ModelReader.read(file);
        assertAgree(what, model, SingleOpModels.randomInputs(model, seed), maxSteps);
    }

    public static void assertAgree(String what, Model model, List<byte[]> inputs) {
        assertAgree(what, model, inputs, 1);
    }

    public static void assertAgree(String what, Model model, List<byte[]> inputs, int maxSteps) {
        SingleOpModels.Outputs out = SingleOpModels.run(model, Pipeline.quantizedKernels(), inputs);
        Subgraph g = model.mainGraph();
        for (int o = 0; o < g.outputs().length; o++) {
            String name = what + " output " + o;
            assertArrayEquals(out.tfliteShapes().get(o), out.quantaShapes().get(o), name + ": shape");
            Tensor t = g.outputTensor(o);
            double[] ref = values(t.type(), out.tflite(o));
            double[] ours = values(t.type(), out.quanta(o));
            double allowed = allowedDifference(g, g.outputs()[o], ref, maxSteps);
            double worst = 0;
            for (int k = 0; k < ref.length; k++) {
                worst = Math.max(worst, Math.abs(ref[k] - ours[k]));
            }
            assertTrue(
                    worst <= allowed,
                    name + " (" + t.type() + "): max |Quanta - TFLite| " + worst + " above " + allowed);
        }
    }

    /**
     * For models Quanta's interpreter does not run (dynamic-range and float16 weights are dequantized at run time):
     * the candidate, in TFLite 2.21, stays within {@code relative}·max(1, max|reference|) of the reference model
     * (its float source) on the same seeded random inputs.
     */
    public static double assertCloseInTfLite(String what, Path reference, Path candidate, long seed, double relative) {
        Model ref = ModelReader.read(reference);
        List<byte[]> inputs = SingleOpModels.randomInputs(ref, seed);
        List<byte[]> expected = SingleOpModels.runTfLite(ref, inputs);
        List<byte[]> actual = SingleOpModels.runTfLite(ModelReader.read(candidate), inputs);
        double worstRelative = 0;
        for (int o = 0; o < expected.size(); o++) {
            DataType type = ref.mainGraph().outputTensor(o).type();
            double[] e = values(type, expected.get(o));
            double[] a = values(type, actual.get(o));
            assertTrue(
                    e.length == a.length, what + " output " + o + ": " + a.length + " elements, expected " + e.length);
            double max = 1;
            double worst = 0;
            for (int k = 0; k < e.length; k++) {
                max = Math.max(max, Math.abs(e[k]));
                worst = Math.max(worst, Math.abs(e[k] - a[k]));
            }
            assertTrue(
                    worst <= relative * max,
                    what + " output " + o + ": max |diff| " + worst + " above " + relative * max);
            worstRelative = Math.max(worstRelative, worst / max);
        }
        return worstRelative;
    }

    private static double allowedDifference(Subgraph g, int tensor, double[] ref, int maxSteps) {
        Tensor t = g.tensor(tensor);
        if (t.type() == DataType.INT8 || t.type() == DataType.UINT8) {
            return maxSteps;
        }
        if (t.type() != DataType.FLOAT32) {
            return 0;
        }
        Tensor source = dequantizedFrom(g, tensor);
        if (source != null) {
            return source.quant().scale(0) * maxSteps * (1 + 1e-6);
        }
        double max = 1;
        for (double r : ref) {
            max = Math.max(max, Math.abs(r));
        }
        return FLOAT_TOLERANCE * max;
    }

    /** The int8/uint8 tensor a DEQUANTIZE turns into this float tensor, or null when a float op computes it. */
    private static Tensor dequantizedFrom(Subgraph g, int tensor) {
        for (Operator op : g.operators()) {
            if (op.type() == OpType.DEQUANTIZE && op.output(0) == tensor) {
                Tensor in = g.tensor(op.input(0));
                boolean int8 = in.type() == DataType.INT8 || in.type() == DataType.UINT8;
                return int8 && in.isQuantized() ? in : null;
            }
        }
        return null;
    }

    private static double[] values(DataType type, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = raw.length / Math.max(1, type.byteSize());
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = switch (type) {
                case FLOAT32 -> b.getFloat(4 * k);
                case INT32 -> b.getInt(4 * k);
                case INT64 -> b.getLong(8 * k);
                case INT16 -> b.getShort(2 * k);
                case UINT8 -> raw[k] & 0xff;
                case INT8, BOOL -> raw[k];
                default -> throw new IllegalArgumentException("no comparison for " + type);
            };
        }
        return v;
    }
}
