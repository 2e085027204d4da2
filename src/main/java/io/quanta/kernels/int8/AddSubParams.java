package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.OpContext;

/**
 * TFLite's int8 ADD/SUB rescaling: both inputs are brought to a common scale (twice the larger input
 * scale) with 20 bits of headroom, summed, then rescaled to the output.
 */
record AddSubParams(
        int input1Offset,
        int input2Offset,
        int outputOffset,
        int input1Multiplier,
        int input1Shift,
        int input2Multiplier,
        int input2Shift,
        int outputMultiplier,
        int outputShift,
        int actMin,
        int actMax) {

    static final int LEFT_SHIFT = 20;

    static AddSubParams of(OpContext ctx) {
        Tensor in1 = ctx.input(0);
        Tensor in2 = ctx.input(1);
        Tensor out = ctx.output(0);
        ElementwiseBinary.requireInt8(ctx);
        double s1 = Quant.scale(ctx, in1);
        double s2 = Quant.scale(ctx, in2);
        double so = Quant.scale(ctx, out);
        double twiceMax = 2 * Math.max(s1, s2);
        FixedPoint.Multiplier m1 = FixedPoint.quantizeMultiplier(s1 / twiceMax);
        FixedPoint.Multiplier m2 = FixedPoint.quantizeMultiplier(s2 / twiceMax);
        FixedPoint.Multiplier mo = FixedPoint.quantizeMultiplier(twiceMax / ((1 << LEFT_SHIFT) * so));
        OpOptions.Arithmetic options = ctx.options(OpOptions.Arithmetic.class);
        int[] range = Quant.activationRange(ctx, options.activation(), out);
        return new AddSubParams(
                -Quant.zeroPoint(in1),
                -Quant.zeroPoint(in2),
                Quant.zeroPoint(out),
                m1.multiplier(),
                m1.shift(),
                m2.multiplier(),
                m2.shift(),
                mo.multiplier(),
                mo.shift(),
                range[0],
                range[1]);
    }

    int scaled1(int q) {
        return FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(
                (q + input1Offset) << LEFT_SHIFT, input1Multiplier, input1Shift);
    }

    int scaled2(int q) {
        return FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(
                (q + input2Offset) << LEFT_SHIFT, input2Multiplier, input2Shift);
    }

    byte output(int rawSum) {
        int v = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(rawSum, outputMultiplier, outputShift)
                + outputOffset;
        return (byte) Math.max(actMin, Math.min(actMax, v));
    }
}
