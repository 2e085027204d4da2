package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** HARD_SWISH: x * relu6(x + 3) / 6. */
final class HardSwish {
    private HardSwish() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, HardSwish::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            float v = x[k];
            o[k] = v * Math.min(6f, Math.max(0f, v + 3f)) / 6f;
        }
    }
}
