package io.quanta.kernels.int16;

import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.Reduction;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * MEAN on int16 (zero points 0), as TFLite 2.21's reference int16 paths: a 4-D input reduced over axes 1 and 2
 * with keep_dims and a rescale (input and output scales differ) sums, applies the input/output multiplier, then divides by the count rounding half away from zero;
 * any other reduction folds 1/count into the multiplier with extra precision bits (QuantizedMeanOrSum).
 */
final class Mean implements Kernel {
    private final Reduction shape;
    private final boolean spatial;
    private final FixedPoint.Multiplier multiplier;
    private final int[] sums;

    static Kernel create(OpContext ctx) {
        return new Mean(ctx);
    }

    private Mean(OpContext ctx) {
        Int16.requireInt16(ctx, ctx.input(0), "input");
        Int16.requireInt16(ctx, ctx.output(0), "output");
        shape = Reduction.of(ctx);
        int[] axes = shape.axes();
        // With equal scales TFLite takes the general path even for the spatial case.
        spatial = Int16.scale(ctx.input(0)) != Int16.scale(ctx.output(0))
                && shape.keepDims()
                && shape.inputShape().length == 4
                && axes.length == 2
                && ((axes[0] == 1 && axes[1] == 2) || (axes[0] == 2 && axes[1] == 1));
        double real = (double) Int16.scale(ctx.input(0)) / (double) Int16.scale(ctx.output(0));
        multiplier = spatial ? FixedPoint.quantizeMultiplier(real) : FixedPoint.meanMultiplier(real, shape.count());
        sums = new int[shape.outputSize()];
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        shape.check("MEAN", input);
        out[0].resize(shape.outputShape());
        short[] x = input.s;
        short[] y = out[0].s;
        Arrays.fill(sums, 0);
        int[] map = shape.outputIndex();
        for (int k = 0; k < map.length; k++) {
            sums[map[k]] += x[k];
        }
        int count = shape.count();
        for (int k = 0; k < sums.length; k++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(sums[k], multiplier);
            if (spatial) {
                v = FixedPoint.divideRoundHalfAwayFromZero(v, count);
            }
            y[k] = Int16.clamp(v, Int16.MIN, Int16.MAX);
        }
    }
}
