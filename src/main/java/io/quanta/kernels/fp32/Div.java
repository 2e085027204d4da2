package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** DIV on float: a / b. */
final class Div {
    private Div() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseBinary.create(ctx, Div::floatRow, null);
    }

    private static void floatRow(float[] a, int ai, int sa, float[] b, int bi, int sb, float[] o, int oi, int n) {
        for (int k = 0; k < n; k++) {
            o[oi + k] = a[ai + k * sa] / b[bi + k * sb];
        }
    }
}
