package io.quanta.kernels.fp32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.TensorData;
import io.quanta.testing.SingleOpModels;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a model in TFLite 2.21 and in Quanta with the float kernel set and checks every output: same shape,
 * integers bit for bit, floats within 1e-5 * max(1, max|ref|). Keeps the worst error per case for the summary.
 */
final class TfLiteAgreement {
    static final double RELATIVE_TOLERANCE = 1e-5;
    private static final Map<String, Double> WORST = new TreeMap<>();

    private TfLiteAgreement() {}

    static SingleOpModels.Outputs check(String what, Model model, List<byte[]> inputs) {
        SingleOpModels.Outputs out = SingleOpModels.run(model, FloatKernels.registry(), inputs);
        double worst = 0;
        for (int o = 0; o < out.tfliteOutputs().size(); o++) {
            assertArrayEquals(out.tfliteShapes().get(o), out.quantaShapes().get(o), what + ": shape of output " + o);
            DataType type = model.mainGraph().outputTensor(o).type();
            if (type == DataType.FLOAT32) {
                worst = Math.max(worst, assertClose(what + " output " + o, out.tfliteFloats(o), out.quantaFloats(o)));
            } else {
                assertArrayEquals(out.tflite(o), out.quanta(o), what + ": output " + o + " (" + type + ") bytes");
            }
        }
        record(what, worst);
        return out;
    }

    static void record(String what, double worst) {
        synchronized (WORST) {
            WORST.merge(what, worst, Math::max);
        }
    }

    static SingleOpModels.Outputs check(String what, Model model, long seed) {
        return check(what, model, SingleOpModels.randomInputs(model, seed));
    }

    /** The max absolute difference, after asserting it is within tolerance. */
    static double assertClose(String what, float[] ref, float[] got) {
        assertTrue(ref.length == got.length, what + ": " + ref.length + " vs " + got.length + " elements");
        double maxRef = 0;
        double maxDiff = 0;
        for (int k = 0; k < ref.length; k++) {
            maxRef = Math.max(maxRef, Math.abs(ref[k]));
            boolean bothNan = Float.isNaN(ref[k]) && Float.isNaN(got[k]);
            maxDiff = Math.max(maxDiff, bothNan ? 0 : Math.abs((double) ref[k] - got[k]));
        }
        double limit = RELATIVE_TOLERANCE * Math.max(1, maxRef);
        assertTrue(maxDiff <= limit, what + ": max |diff| " + maxDiff + " above " + limit);
        return maxDiff;
    }

    static byte[] floats(float... v) {
        return TensorData.of(v);
    }

    /** The worst error per case so far, one line each (printed by the test classes for the report). */
    static String summary() {
        StringBuilder sb = new StringBuilder();
        synchronized (WORST) {
            WORST.forEach((k, v) -> sb.append(String.format("  %-50s max|diff| %.3g%n", k, v)));
        }
        return sb.toString();
    }
}
