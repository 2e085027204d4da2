package io.quanta.kernels.fp32;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** LOG (natural). */
final class Log {
    private Log() {}

    static Kernel create(OpContext ctx) {
        return ElementwiseUnary.create(ctx, Log::apply);
    }

    private static void apply(float[] x, float[] o, int n) {
        for (int k = 0; k < n; k++) {
            o[k] = (float) Math.log(x[k]);
        }
    }
}
