package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** SQRT. */
final class Sqrt {
    private Sqrt() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, Sqrt::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) Math.sqrt(x[k]);
        }
    }
}
