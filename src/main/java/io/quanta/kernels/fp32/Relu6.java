package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** RELU6: x clamped to [0, 6]. */
final class Relu6 {
    private Relu6() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, Relu6::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = Math.min(Math.max(x[k], 0f), 6f);
        }
    }
}
