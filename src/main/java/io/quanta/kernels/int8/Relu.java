package io.quanta.kernels.int8;

import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * RELU, RELU6 and RELU_N1_TO_1 on int8: rescale from the input's to the output's quantization (they may
 * differ), then clamp to the activation's bounds quantized with the output scale; tabulated, since the
 * result depends on the input byte alone.
 */
final class Relu {
    private Relu() {}

    static Kernel relu(OpContext ctx) {
        return create(ctx, 0f, Float.POSITIVE_INFINITY);
    }

    static Kernel relu6(OpContext ctx) {
        return create(ctx, 0f, 6f);
    }

    static Kernel reluN1To1(OpContext ctx) {
        return create(ctx, -1f, 1f);
    }

    private static Kernel create(OpContext ctx, float low, float high) {
        Quant.requireInt8InputAndOutput(ctx);
        float inputScale = Quant.scale(ctx, ctx.input(0));
        float outputScale = Quant.scale(ctx, ctx.output(0));
        int inputZeroPoint = Quant.zeroPoint(ctx.input(0));
        int outputZeroPoint = Quant.zeroPoint(ctx.output(0));
        // TFLite divides the float scales in float, then widens the ratio to double.
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(inputScale / outputScale);
        int min = Math.max(-128, outputZeroPoint + (int) FixedPoint.roundHalfAwayFromZero(low / outputScale));
        int max = high == Float.POSITIVE_INFINITY
                ? 127
                : Math.min(127, outputZeroPoint + (int) FixedPoint.roundHalfAwayFromZero(high / outputScale));
        return new LookupTable(q -> {
            int v = outputZeroPoint
                    + FixedPoint.multiplyByQuantizedMultiplier(q - inputZeroPoint, m.multiplier(), m.shift());
            return Math.max(min, Math.min(max, v));
        });
    }
}
