package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** REDUCE_MAX: the maximum over the axes (also int8/uint8 when input and output share quantization); see {@link Reduction}. */
final class ReduceMax {
    private ReduceMax() {}

    static Kernel create(OpContext ctx) {
        return Reduction.create(ctx, Reduction.Kind.MAX);
    }
}
