package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** LEAKY_RELU: x for x > 0, else alpha * x. */
final class LeakyRelu extends ElementwiseUnary {
    private final float alpha;

    private LeakyRelu(float alpha) {
        this.alpha = alpha;
    }

    static Kernel create(OpContext ctx) {
        float alpha = ctx.options(OpOptions.LeakyRelu.class).alpha();
        return ElementwiseUnary.create(ctx, () -> new LeakyRelu(alpha));
    }

    @Override
    void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            float v = x[k];
            o[k] = v > 0f ? v : v * alpha;
        }
    }
}
