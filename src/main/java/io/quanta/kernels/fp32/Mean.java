package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** MEAN: the average over the axes (float accumulation, then one division); see {@link Reduction}. */
final class Mean {
    private Mean() {}

    static Kernel create(OpContext ctx) {
        return Reduction.create(ctx, Reduction.Kind.MEAN);
    }
}
