package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** SUM: the sum over the axes; see {@link Reduction}. */
final class Sum {
    private Sum() {}

    static Kernel create(OpContext ctx) {
        return Reduction.create(ctx, Reduction.Kind.SUM);
    }
}
