package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D on int8 (input and output share scale and zero point, as TFLite
 * requires). The window is clipped to the input: padding takes no part in a max or an average.
 * The average divides the raw sum by the clipped window's size, rounding half away from zero.
 */
final class Pool2D implements Kernel {
    private final OpOptions.Pool2D options;
    private final boolean average;
    private final int actMin;
    private final int actMax;
    private int[] sums = new int[0];
    private final SlidingWindow window;
    private final int[] outShape = new int[4];

    static Kernel average(OpContext ctx) {
        return new Pool2D(ctx, true);
    }

    static Kernel max(OpContext ctx) {
        return new Pool2D(ctx, false);
    }

    private Pool2D(OpContext ctx, boolean average) {
        this.options = ctx.options(OpOptions.Pool2D.class);
        this.average = average;
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        Quant.requireInt8InputAndOutput(ctx);
        Quant.requireNhwcInput(ctx);
        if (Quant.scale(ctx, input) != Quant.scale(ctx, output) || Quant.zeroPoint(input) != Quant.zeroPoint(output)) {
            throw ctx.fail(
                    "input '" + input.name() + "' and output '" + output.name() + "' must share scale and zero point");
        }
        int[] range = Quant.activationRange(ctx, options.activation(), output);
        actMin = range[0];
        actMax = range[1];
        window = SlidingWindow.forPool(ctx, options);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int depth = input.dim(3);
        int fh = options.filterHeight();
        int fw = options.filterWidth();
        int sh = options.strideH();
        int sw = options.strideW();
        SlidingWindow g = window;
        g.bind(input);
        Values.resizeNhwc(out[0], outShape, g.batches, g.outH, g.outW, depth);
        int batches = g.batches;
        int inH = g.inH;
        int inW = g.inW;
        int outH = g.outH;
        int outW = g.outW;
        int padH = g.padTop;
        int padW = g.padLeft;
        if (sums.length < depth) {
            sums = new int[depth];
        }
        byte[] x = input.b;
        byte[] y = out[0].b;
        int[] s = sums;
        int o = 0;
        for (int b = 0; b < batches; b++) {
            for (int oy = 0; oy < outH; oy++) {
                int y0 = oy * sh - padH;
                int yStart = Math.max(0, y0);
                int yEnd = Math.min(inH, y0 + fh);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = ox * sw - padW;
                    int xStart = Math.max(0, x0);
                    int xEnd = Math.min(inW, x0 + fw);
                    int count = (yEnd - yStart) * (xEnd - xStart);
                    int init = average ? 0 : -128;
                    for (int c = 0; c < depth; c++) {
                        s[c] = init;
                    }
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            int src = ((b * inH + iy) * inW + ix) * depth;
                            if (average) {
                                for (int c = 0; c < depth; c++) {
                                    s[c] += x[src + c];
                                }
                            } else {
                                for (int c = 0; c < depth; c++) {
                                    s[c] = Math.max(s[c], x[src + c]);
                                }
                            }
                        }
                    }
                    for (int c = 0; c < depth; c++) {
                        int v = s[c];
                        if (average) {
                            v = FixedPoint.divideRoundHalfAwayFromZero(v, count);
                        }
                        y[o++] = (byte) Math.max(actMin, Math.min(actMax, v));
                    }
                }
            }
        }
    }
}
