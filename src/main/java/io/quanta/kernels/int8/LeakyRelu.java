package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * LEAKY_RELU on int8: one multiplier for the identity side, one for alpha, as TFLite's QuantizeLeakyRelu;
 * tabulated, since the result depends on the input byte alone.
 */
final class LeakyRelu {
    private LeakyRelu() {}

    static Kernel create(OpContext ctx) {
        Quant.requireInt8InputAndOutput(ctx);
        float inputScale = Quant.scale(ctx, ctx.input(0));
        float outputScale = Quant.scale(ctx, ctx.output(0));
        float a = ctx.options(OpOptions.LeakyRelu.class).alpha();
        int inputZeroPoint = Quant.zeroPoint(ctx.input(0));
        int outputZeroPoint = Quant.zeroPoint(ctx.output(0));
        // TFLite computes both ratios in float, then widens them to double.
        FixedPoint.Multiplier alpha = FixedPoint.quantizeMultiplier(inputScale * a / outputScale);
        FixedPoint.Multiplier identity = FixedPoint.quantizeMultiplier(inputScale / outputScale);
        return new LookupTable(q -> {
            int v = q - inputZeroPoint;
            FixedPoint.Multiplier m = v >= 0 ? identity : alpha;
            return FixedPoint.saturateInt8(outputZeroPoint + FixedPoint.multiplyByQuantizedMultiplier(v, m));
        });
    }
}
