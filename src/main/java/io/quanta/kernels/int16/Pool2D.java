package io.quanta.kernels.int16;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D on int16, as TFLite's reference int16 kernels: the window clipped to the input,
 * the average rounding half away from zero, input and output sharing one scale.
 */
final class Pool2D implements Kernel {
    private final boolean average;
    private final int actMin;
    private final int actMax;
    private final SlidingWindow window;
    private final int[] outShape = new int[4];

    static Kernel average(OpContext ctx) {
        return new Pool2D(ctx, true);
    }

    static Kernel max(OpContext ctx) {
        return new Pool2D(ctx, false);
    }

    private Pool2D(OpContext ctx, boolean average) {
        OpOptions.Pool2D options = ctx.options(OpOptions.Pool2D.class);
        this.average = average;
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        Int16.requireInt16(ctx, input, "input");
        Int16.requireInt16(ctx, output, "output");
        SlidingWindow.requireRank4(ctx, input, "input");
        if (Int16.scale(input) != Int16.scale(output)) {
            throw ctx.fail("input '" + input.name() + "' and output '" + output.name() + "' must share their scale");
        }
        int[] range = Int16.activationRange(ctx, options.activation(), output);
        actMin = range[0];
        actMax = range[1];
        window = SlidingWindow.forPool(ctx, options);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        SlidingWindow w = window;
        w.bind(in[0]);
        outShape[0] = w.batches;
        outShape[1] = w.outH;
        outShape[2] = w.outW;
        outShape[3] = w.channels;
        out[0].resize(outShape);
        short[] x = in[0].s;
        short[] y = out[0].s;
        int channels = w.channels;
        int o = 0;
        // Not shared with int8's Pool2D: one loop over byte[] and short[] would cost int8 a per-element access call.
        for (int b = 0; b < w.batches; b++) {
            for (int oy = 0; oy < w.outH; oy++) {
                int y0 = oy * w.strideH - w.padTop;
                int fy0 = Math.max(0, -y0);
                int fy1 = Math.min(w.filterH, w.inH - y0);
                for (int ox = 0; ox < w.outW; ox++) {
                    int x0 = ox * w.strideW - w.padLeft;
                    int fx0 = Math.max(0, -x0);
                    int fx1 = Math.min(w.filterW, w.inW - x0);
                    int count = Math.max(0, fy1 - fy0) * Math.max(0, fx1 - fx0);
                    for (int c = 0; c < channels; c++) {
                        int acc = average ? 0 : Int16.MIN;
                        for (int fy = fy0; fy < fy1; fy++) {
                            int row = ((b * w.inH + y0 + fy) * w.inW + x0) * channels + c;
                            for (int fx = fx0; fx < fx1; fx++) {
                                int v = x[row + fx * channels];
                                acc = average ? acc + v : Math.max(acc, v);
                            }
                        }
                        if (average) {
                            acc = FixedPoint.divideRoundHalfAwayFromZero(acc, count);
                        }
                        y[o++] = Int16.clamp(acc, actMin, actMax);
                    }
                }
            }
        }
    }
}
