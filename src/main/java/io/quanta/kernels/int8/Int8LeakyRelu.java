package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;

/**
 * LEAKY_RELU on int8: one multiplier for the identity side, one for alpha, as TFLite's QuantizeLeakyRelu;
 * tabulated, since the result depends on the input byte alone.
 */
final class Int8LeakyRelu {
    private Int8LeakyRelu() {}

    static Kernel create(OpContext op) {
        Quant.requireInt8InputAndOutput(op);
        float inputScale = Quant.scale(op, op.input(0));
        float outputScale = Quant.scale(op, op.output(0));
        float a = op.options(OpOptions.LeakyRelu.class).alpha();
        int inputZeroPoint = Quant.zeroPoint(op.input(0));
        int outputZeroPoint = Quant.zeroPoint(op.output(0));
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
