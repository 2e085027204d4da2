package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * MAXIMUM and MINIMUM on int8, with broadcasting. TFLite compares the raw int8 values (inputs and output
 * share quantization), so no rescaling happens.
 */
final class MinMax {
    private MinMax() {}

    static Kernel maximum(OpContext ctx) {
        ElementwiseBinary.requireInt8(ctx);
        return new ElementwiseBinary("MAXIMUM", (a, b) -> (byte) Math.max(a, b));
    }

    static Kernel minimum(OpContext ctx) {
        ElementwiseBinary.requireInt8(ctx);
        return new ElementwiseBinary("MINIMUM", (a, b) -> (byte) Math.min(a, b));
    }
}
