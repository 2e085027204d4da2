package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** SQUARED_DIFFERENCE on float: (a - b)^2. */
final class SquaredDifference {
    private SquaredDifference() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseBinary.create(ctx, SquaredDifference::floatRow, null);
    }

    private static void floatRow(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            float d = a[ai + k * sa] - b[bi + k * sb];
            o[oi + k] = d * d;
        }
    }
}
