package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.AddSubRescale;
import io.quanta.kernels.OpContext;

/** The int8 ADD/SUB parameters: the shared {@link AddSubRescale} with TFLite's 20 bits of int8 headroom. */
final class AddSubParams {
    private AddSubParams() {}

    static final int LEFT_SHIFT = 20;

    static AddSubRescale of(OpContext ctx) {
        Tensor in1 = ctx.input(0);
        Tensor in2 = ctx.input(1);
        Tensor out = ctx.output(0);
        ElementwiseBinary.requireInt8(ctx);
        float s1 = Quant.scale(ctx, in1);
        float s2 = Quant.scale(ctx, in2);
        float so = Quant.scale(ctx, out);
        OpOptions.Arithmetic options = ctx.options(OpOptions.Arithmetic.class);
        int[] range = Quant.activationRange(ctx, options.activation(), out);
        return AddSubRescale.of(
                LEFT_SHIFT,
                s1,
                Quant.zeroPoint(in1),
                s2,
                Quant.zeroPoint(in2),
                so,
                Quant.zeroPoint(out),
                range[0],
                range[1]);
    }
}
