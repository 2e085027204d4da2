package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** ADD, int8 with broadcasting: both inputs rescaled to a common scale (see {@link AddSubParams}). */
final class Add {
    private Add() {}

    static Kernel create(OpContext ctx) {
        AddSubParams p = AddSubParams.of(ctx);
        return new ElementwiseBinary("ADD", (a, b) -> p.output(p.scaled1(a) + p.scaled2(b)));
    }
}
