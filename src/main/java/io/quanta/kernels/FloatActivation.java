package io.quanta.kernels;

import io.quanta.graph.Activation;

/** Fused activations, which for float outputs are all clamps to a range. */
public final class FloatActivation {
    private FloatActivation() {}

    /** The clamp range {lo, hi} of a fused activation; TANH and SIGN_BIT are not clamps and are refused. */
    public static float[] range(OpContext ctx, Activation a) {
        if (a == Activation.TANH || a == Activation.SIGN_BIT) {
            throw ctx.fail("fused activation " + a + " is not supported");
        }
        return new float[] {a.floatMin(), a.floatMax()};
    }

    /** Integer clamp range of a fused activation on int32 outputs. */
    public static int[] intRange(OpContext ctx, Activation a) {
        return switch (a) {
            case NONE -> new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case RELU -> new int[] {0, Integer.MAX_VALUE};
            case RELU6 -> new int[] {0, 6};
            case RELU_N1_TO_1 -> new int[] {-1, 1};
            default -> throw ctx.fail("fused activation " + a + " is not supported on int32");
        };
    }

    public static boolean isIdentity(float lo, float hi) {
        return lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY;
    }

    /** Clamps x[from, to) into [lo, hi]; max first, then min, as TFLite does. */
    public static void clamp(float[] x, int from, int to, float lo, float hi) {
        if (isIdentity(lo, hi)) {
            return;
        }
        for (int k = from; k < to; k++) {
            x[k] = Math.min(Math.max(x[k], lo), hi);
        }
    }

    public static void clamp(int[] x, int from, int to, int lo, int hi) {
        if (lo == Integer.MIN_VALUE && hi == Integer.MAX_VALUE) {
            return;
        }
        for (int k = from; k < to; k++) {
            x[k] = Math.min(Math.max(x[k], lo), hi);
        }
    }
}
