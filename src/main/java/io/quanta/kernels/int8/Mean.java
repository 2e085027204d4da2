package io.quanta.kernels.int8;

import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.Reduction;
import io.quanta.kernels.TensorValue;

/**
 * MEAN on int8 with requantization, following TFLite's two integer paths: for a 4-D input reduced over
 * height and width with keep_dims (global average pooling) the optimized kernel folds 1/count into one
 * multiplier and the zero points into a bias; any other reduction sums (x - z_in) and folds 1/count into
 * the input/output multiplier with extra precision bits.
 */
final class Mean implements Kernel {
    private final Reduction shape;
    private final boolean spatial;
    private final int multiplier;
    private final int shift;
    private final int bias; // spatial path: output zero point minus the input zero point's share
    private final int inputZeroPoint;
    private final int outputZeroPoint;
    private final int[] sums;

    static Kernel create(OpContext ctx) {
        return new Mean(ctx);
    }

    private Mean(OpContext ctx) {
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        Quant.requireInt8InputAndOutput(ctx);
        shape = Reduction.of(ctx);
        int[] inputShape = shape.inputShape();
        int count = shape.count();
        boolean[] reduced = shape.reduced();
        sums = new int[shape.outputSize()];
        inputZeroPoint = Quant.zeroPoint(input);
        outputZeroPoint = Quant.zeroPoint(output);
        float inputScale = Quant.scale(ctx, input);
        float outputScale = Quant.scale(ctx, output);
        spatial = shape.keepDims() && inputShape.length == 4 && shape.axes().length == 2 && reduced[1] && reduced[2];
        if (spatial) {
            float n = (float) (inputShape[1] * inputShape[2]);
            bias = outputZeroPoint - (int) (inputZeroPoint * inputScale / outputScale);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(inputScale / (n * outputScale));
            multiplier = m.multiplier();
            shift = m.shift();
        } else {
            bias = 0;
            FixedPoint.Multiplier m = FixedPoint.meanMultiplier((double) inputScale / (double) outputScale, count);
            multiplier = m.multiplier();
            shift = m.shift();
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        shape.check("MEAN", input);
        out[0].resize(shape.outputShape());
        byte[] x = input.b;
        byte[] y = out[0].b;
        int[] s = sums;
        java.util.Arrays.fill(s, 0);
        int[] map = shape.outputIndex();
        int n = map.length;
        for (int k = 0; k < n; k++) {
            s[map[k]] += x[k];
        }
        for (int k = 0; k < s.length; k++) {
            int v;
            if (spatial) {
                v = FixedPoint.multiplyByQuantizedMultiplier(s[k], multiplier, shift) + bias;
            } else {
                v = FixedPoint.multiplyByQuantizedMultiplier(s[k] - inputZeroPoint * shape.count(), multiplier, shift)
                        + outputZeroPoint;
            }
            y[k] = FixedPoint.saturateInt8(v);
        }
    }
}
