package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D on float. Both reduce the in-bounds part of each window (padding is never
 * counted): the average divides the sum by the number of in-bounds taps, the maximum keeps the largest; then the
 * fused activation clamps.
 */
final class Pool2D implements Kernel {
    private final SlidingWindow window;
    private final boolean average;
    private final float lo;
    private final float hi;
    private final ShapeMemo shape = new ShapeMemo();

    private Pool2D(SlidingWindow window, boolean average, float lo, float hi) {
        this.window = window;
        this.average = average;
        this.lo = lo;
        this.hi = hi;
    }

    static Kernel average(OpContext ctx) {
        return create(ctx, true);
    }

    static Kernel max(OpContext ctx) {
        return create(ctx, false);
    }

    private static Kernel create(OpContext ctx, boolean average) {
        OpOptions.Pool2D o = ctx.options(OpOptions.Pool2D.class);
        SlidingWindow.requireRank4(ctx, ctx.input(0), "input");
        float[] range = FloatActivation.range(ctx, o.activation());
        return new Pool2D(SlidingWindow.forPool(ctx, o), average, range[0], range[1]);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        SlidingWindow w = window;
        w.bind(in[0]);
        int c = w.channels;
        out[0].resize(shape.of(w.batches, w.outH, w.outW, c));
        float[] src = in[0].f;
        float[] dst = out[0].f;
        for (int b = 0; b < w.batches; b++) {
            for (int y = 0; y < w.outH; y++) {
                int y0 = y * w.strideH - w.padTop;
                int yStart = Math.max(0, y0);
                int yEnd = Math.min(w.inH, y0 + w.filterH);
                for (int x = 0; x < w.outW; x++) {
                    int x0 = x * w.strideW - w.padLeft;
                    int xStart = Math.max(0, x0);
                    int xEnd = Math.min(w.inW, x0 + w.filterW);
                    int o = ((b * w.outH + y) * w.outW + x) * c;
                    java.util.Arrays.fill(dst, o, o + c, average ? 0f : -Float.MAX_VALUE);
                    for (int iy = yStart; iy < yEnd; iy++) {
                        for (int ix = xStart; ix < xEnd; ix++) {
                            int i = ((b * w.inH + iy) * w.inW + ix) * c;
                            if (average) {
                                for (int k = 0; k < c; k++) {
                                    dst[o + k] += src[i + k];
                                }
                            } else {
                                for (int k = 0; k < c; k++) {
                                    dst[o + k] = Math.max(dst[o + k], src[i + k]);
                                }
                            }
                        }
                    }
                    if (average) {
                        float count = (yEnd - yStart) * (xEnd - xStart);
                        for (int k = 0; k < c; k++) {
                            dst[o + k] /= count;
                        }
                    }
                    FloatActivation.clamp(dst, o, o + c, lo, hi);
                }
            }
        }
    }
}
