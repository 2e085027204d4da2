package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** MAXIMUM: the larger of a and b. */
final class Maximum {
    private Maximum() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseBinary.create(ctx, Maximum::floatRow, Maximum::intRow);
    }

    private static void floatRow(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            o[oi + k] = Math.max(a[ai + k * sa], b[bi + k * sb]);
        }
    }

    private static void intRow(int[] a, int ai, int sa, int[] b, int bi, int sb, int[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            o[oi + k] = Math.max(a[ai + k * sa], b[bi + k * sb]);
        }
    }
}
