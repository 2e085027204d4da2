package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * MAXIMUM and MINIMUM on int8, with broadcasting. TFLite compares the raw int8 values (inputs and output
 * share quantization), so no rescaling happens.
 */
final class Int8MinMax {
    private Int8MinMax() {}

    static Kernel maximum(OpContext op) {
        Int8Binary.requireInt8(op);
        return new Int8Binary("MAXIMUM", (a, b) -> (byte) Math.max(a, b));
    }

    static Kernel minimum(OpContext op) {
        Int8Binary.requireInt8(op);
        return new Int8Binary("MINIMUM", (a, b) -> (byte) Math.min(a, b));
    }
}
