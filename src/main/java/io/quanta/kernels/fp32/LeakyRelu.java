package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** LEAKY_RELU: x for x > 0, else alpha * x. */
final class LeakyRelu {
    private LeakyRelu() {}

    static Kernel create(OpContext ctx) {
        float alpha = ctx.options(OpOptions.LeakyRelu.class).alpha();
        return ElementwiseUnary.create(ctx, (x, o, n) -> apply(x, o, n, alpha));
    }

    private static void apply(float[] x, float[] o, int n, float alpha) {
        for (int k = 0; k < n; k++) {
            float v = x[k];
            o[k] = v > 0f ? v : v * alpha;
        }
    }
}
