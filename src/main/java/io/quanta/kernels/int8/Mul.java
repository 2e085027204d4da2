package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/** MUL, int8 with broadcasting: (a - za) * (b - zb) rescaled by s_a * s_b / s_out. */
final class Mul implements ElementwiseBinary.Element {
    private final int offset1;
    private final int offset2;
    private final int outputOffset;
    private final int multiplier;
    private final int shift;
    private final int actMin;
    private final int actMax;

    static Kernel create(OpContext ctx) {
        return new ElementwiseBinary("MUL", new Mul(ctx));
    }

    private Mul(OpContext ctx) {
        Tensor in1 = ctx.input(0);
        Tensor in2 = ctx.input(1);
        Tensor out = ctx.output(0);
        ElementwiseBinary.requireInt8(ctx);
        // TFLite multiplies the float scales in float, then widens to double.
        float real = Quant.scale(ctx, in1) * Quant.scale(ctx, in2) / Quant.scale(ctx, out);
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(real);
        multiplier = m.multiplier();
        shift = m.shift();
        offset1 = -Quant.zeroPoint(in1);
        offset2 = -Quant.zeroPoint(in2);
        outputOffset = Quant.zeroPoint(out);
        int[] range = Quant.activationRange(
                ctx, ctx.options(OpOptions.Arithmetic.class).activation(), out);
        actMin = range[0];
        actMax = range[1];
    }

    @Override
    public byte apply(int a, int b) {
        int v = FixedPoint.multiplyByQuantizedMultiplier((a + offset1) * (b + offset2), multiplier, shift)
                + outputOffset;
        return (byte) Math.max(actMin, Math.min(actMax, v));
    }
}
