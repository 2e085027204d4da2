package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Shapes;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * MEAN on int8 with requantization, following TFLite's two integer paths: for a 4-D input reduced over
 * height and width with keep_dims (global average pooling) the optimized kernel folds 1/count into one
 * multiplier and the zero points into a bias; any other reduction sums (x - z_in) and folds 1/count into
 * the input/output multiplier with extra precision bits.
 */
final class Mean implements Kernel {
    private final int[] inputShape;
    private final int[] outputShape;
    private final int[] outputIndex; // for each input element, the output element it adds into
    private final int count; // input elements per output element
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
        boolean keepDims = ctx.options(OpOptions.Reducer.class).keepDims();
        int rank = input.rank();
        inputShape = input.shape();
        boolean[] reduced = new boolean[rank];
        int[] axes = ctx.constInts(1);
        for (int a : axes) {
            try {
                reduced[Shapes.axis(a, rank)] = true;
            } catch (IllegalArgumentException e) {
                throw ctx.fail("axis " + a + " is out of range for the " + rank + "-D input '" + input.name() + "'");
            }
        }
        int[] keptShape = new int[rank];
        int reducedCount = 0;
        int c = 1;
        for (int d = 0; d < rank; d++) {
            keptShape[d] = reduced[d] ? 1 : inputShape[d];
            if (reduced[d]) {
                c *= inputShape[d];
                reducedCount++;
            }
        }
        count = c;
        if (keepDims) {
            outputShape = keptShape;
        } else {
            int[] s = new int[rank - reducedCount];
            for (int d = 0, k = 0; d < rank; d++) {
                if (!reduced[d]) {
                    s[k++] = inputShape[d];
                }
            }
            outputShape = s;
        }
        outputIndex = Broadcast.indexMap(keptShape, inputShape);
        sums = new int[Shapes.size(keptShape)];
        inputZeroPoint = Quant.zeroPoint(input);
        outputZeroPoint = Quant.zeroPoint(output);
        float inputScale = Quant.scale(ctx, input);
        float outputScale = Quant.scale(ctx, output);
        spatial = keepDims && rank == 4 && axes.length == 2 && reduced[1] && reduced[2];
        if (spatial) {
            float n = (float) (inputShape[1] * inputShape[2]);
            bias = outputZeroPoint - (int) (inputZeroPoint * inputScale / outputScale);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(inputScale / (n * outputScale));
            multiplier = m.multiplier();
            shift = m.shift();
        } else {
            bias = 0;
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier((double) inputScale / (double) outputScale);
            int extra = count <= 0 ? 0 : 31 - Integer.numberOfLeadingZeros(count); // floor(log2(count))
            extra = Math.min(extra, 32);
            extra = Math.min(extra, 31 + m.shift());
            multiplier = count <= 0 ? m.multiplier() : (int) (((long) m.multiplier() << extra) / count);
            shift = m.shift() - extra;
        }
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        if (input.size() != outputIndex.length) {
            throw new IllegalStateException("MEAN: input shape changed from " + Arrays.toString(inputShape) + " to "
                    + Arrays.toString(input.shape()) + "; dynamic shapes are not supported");
        }
        out[0].resize(outputShape);
        byte[] x = input.b;
        byte[] y = out[0].b;
        int[] s = sums;
        Arrays.fill(s, 0);
        int n = outputIndex.length;
        int[] map = outputIndex;
        for (int k = 0; k < n; k++) {
            s[map[k]] += x[k];
        }
        for (int k = 0; k < s.length; k++) {
            int v;
            if (spatial) {
                v = FixedPoint.multiplyByQuantizedMultiplier(s[k], multiplier, shift) + bias;
            } else {
                v = FixedPoint.multiplyByQuantizedMultiplier(s[k] - inputZeroPoint * count, multiplier, shift)
                        + outputZeroPoint;
            }
            y[k] = FixedPoint.saturateInt8(v);
        }
    }
}
