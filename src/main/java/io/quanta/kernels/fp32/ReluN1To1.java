package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** RELU_N1_TO_1: x clamped to [-1, 1]. */
final class ReluN1To1 {
    private ReluN1To1() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, ReluN1To1::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = Math.min(Math.max(x[k], -1f), 1f);
        }
    }
}
