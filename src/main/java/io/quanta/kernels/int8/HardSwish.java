package io.quanta.kernels.int8;

import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * HARD_SWISH on int8 with TFLite's int16 fixed-point recipe: the input on a 2^7 finer scale, a "reluish"
 * factor relu6(x + 3) / 6 in Q0.15, their doubling high product, then the output rescale. Tabulated for
 * all 256 inputs at preparation, since the result depends on the input byte alone.
 */
final class HardSwish {
    private HardSwish() {}

    static Kernel create(OpContext ctx) {
        Quant.requireInt8InputAndOutput(ctx);
        float inputScale = Quant.scale(ctx, ctx.input(0));
        float outputScale = Quant.scale(ctx, ctx.output(0));
        int inputZeroPoint = Quant.zeroPoint(ctx.input(0));
        int outputZeroPoint = Quant.zeroPoint(ctx.output(0));
        float hiresInputScale = (1.0f / 128.0f) * inputScale;
        float reluishScale = 3.0f / 32768.0f;
        FixedPoint.Multiplier out = FixedPoint.quantizeMultiplier(hiresInputScale / outputScale);
        FixedPoint.Multiplier reluish = FixedPoint.quantizeMultiplier(hiresInputScale / reluishScale);
        if (out.shift() > 0) {
            throw ctx.fail("output scale is too small for the input scale (multiplier above one)");
        }
        int outMultiplier16 = FixedPoint.downScaleInt32ToInt16Multiplier(out.multiplier());
        int reluishMultiplier16 = FixedPoint.downScaleInt32ToInt16Multiplier(reluish.multiplier());
        int reluishExponent = reluish.shift();
        return new LookupTable(q -> {
            int inputValue = (short) (q - inputZeroPoint);
            int hires = (short) (inputValue * (1 << 7));
            int preshiftOutput = FixedPoint.saturatingRoundingDoublingHighMul16(hires, outMultiplier16);
            int reluishValue = hires;
            if (reluishExponent > 0) {
                reluishValue = FixedPoint.saturatingLeftShift16(reluishValue, reluishExponent - 1);
            }
            reluishValue = FixedPoint.saturatingRoundingDoublingHighMul16(reluishValue, reluishMultiplier16);
            if (reluishExponent > 0) {
                reluishValue = FixedPoint.saturatingLeftShift16(reluishValue, 1);
            }
            if (reluishExponent < 0) {
                reluishValue = FixedPoint.roundingDivideByPOT(reluishValue, -reluishExponent);
            }
            reluishValue = (short) ((reluishValue + (1 << 15)) >> 1);
            int preshift = FixedPoint.saturatingDoublingHighMul16(reluishValue, preshiftOutput);
            int v = (short) FixedPoint.roundingDivideByPOT(preshift, -out.shift());
            v = (short) (v + outputZeroPoint);
            return FixedPoint.saturateInt8(v);
        });
    }
}
