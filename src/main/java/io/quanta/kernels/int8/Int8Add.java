package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** ADD, int8 with broadcasting: both inputs rescaled to a common scale (see {@link AddSubParams}). */
final class Int8Add {
    private Int8Add() {}

    static Kernel create(OpContext op) {
        AddSubParams p = AddSubParams.of(op);
        return new Int8Binary("ADD", (a, b) -> p.output(p.scaled1(a) + p.scaled2(b)));
    }
}
