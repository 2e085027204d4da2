package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** RELU: max(0, x). */
final class Relu {
    private Relu() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, Relu::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = Math.max(0f, x[k]);
        }
    }
}
