package io.quanta.kernels.int8;

import io.quanta.kernels.AddSubRescale;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** SUB, int8 with broadcasting: both inputs rescaled to a common scale (see {@link AddSubParams}). */
final class Sub {
    private Sub() {}

    static Kernel create(OpContext ctx) {
        AddSubRescale p = AddSubParams.of(ctx);
        return new ElementwiseBinary("SUB", (a, b) -> (byte) p.sub(a, b));
    }
}
