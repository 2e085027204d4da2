package io.quanta.kernels.int8;

import io.quanta.kernels.AddSubRescale;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** ADD, int8 with broadcasting: both inputs rescaled to a common scale (see {@link AddSubParams}). */
final class Add {
    private Add() {}

    static Kernel create(OpContext ctx) {
        AddSubRescale p = AddSubParams.of(ctx);
        return new ElementwiseBinary("ADD", (a, b) -> (byte) p.add(a, b));
    }
}
