package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** RSQRT: 1 / sqrt(x), the square root rounded to float first as TFLite does. */
final class Rsqrt {
    private Rsqrt() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, Rsqrt::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = 1f / (float) Math.sqrt(x[k]);
        }
    }
}
