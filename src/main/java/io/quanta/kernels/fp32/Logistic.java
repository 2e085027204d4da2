package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** LOGISTIC: 1 / (1 + e^-x). */
final class Logistic {
    private Logistic() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, Logistic::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) (1.0 / (1.0 + Math.exp(-x[k])));
        }
    }
}
