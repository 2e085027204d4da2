package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * DEPTHWISE_CONV_2D on float: filter [1][kh][kw][in * multiplier], output channel c * multiplier + m reads
 * input channel c. The filter is already tap-major with output channels contiguous, which is what the
 * inner loop wants: each in-bounds tap adds input pixel x filter row into the output pixel.
 */
final class DepthwiseConv2D implements Kernel {
    private final SlidingWindow window;
    private final float[] filter;
    private final int multiplier;
    private final int outChannels;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final ShapeMemo shape = new ShapeMemo();
    /** Each tap's filter row repeated across a whole output row (stride-1 path), rebuilt when the width changes. */
    private float[] tiledTaps = new float[0];
    private int tiledWidth = -1;

    private DepthwiseConv2D(SlidingWindow window, float[] filter, int multiplier, boolean hasBias, float lo,
            float hi) {
        this.window = window;
        this.filter = filter;
        this.multiplier = multiplier;
        this.outChannels = window.channels * multiplier;
        this.hasBias = hasBias;
        this.lo = lo;
        this.hi = hi;
    }

    static Kernel create(OpContext ctx) {
        OpOptions.DepthwiseConv2D o = ctx.options(OpOptions.DepthwiseConv2D.class);
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        if (filter.type() != DataType.FLOAT32 && filter.type() != DataType.FLOAT16) {
            throw ctx.fail("filter '" + filter.name() + "' of type " + filter.type()
                    + " is not supported (hybrid depthwise convolution is not implemented)");
        }
        SlidingWindow.requireRank4(ctx, input, "input");
        SlidingWindow.requireRank4(ctx, filter, "filter");
        int channels = input.dim(3);
        int outChannels = filter.dim(3);
        if (channels <= 0 || outChannels % channels != 0) {
            throw ctx.fail("filter '" + filter.name() + "' has " + outChannels
                    + " output channels, not a multiple of the input's " + channels);
        }
        SlidingWindow window = new SlidingWindow(ctx, o.padding(), filter.dim(1), filter.dim(2), o.strideH(),
                o.strideW(), o.dilationH(), o.dilationW(), channels);
        SlidingWindow.checkBias(ctx, outChannels);
        float[] range = FloatActivation.range(ctx, o.activation());
        return new DepthwiseConv2D(window, ctx.constFloats(1), outChannels / channels, ctx.hasInput(2), range[0],
                range[1]);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        SlidingWindow w = window;
        w.bind(input);
        int oh = w.outH;
        int ow = w.outW;
        int n = outChannels;
        int c = w.channels;
        TensorValue output = out[0];
        output.resize(shape.of(w.batches, oh, ow, n));
        float[] src = input.f;
        float[] dst = output.f;
        float[] bias = hasBias ? in[2].f : null;
        if (multiplier == 1 && w.strideW == 1) {
            rowWise(src, dst, bias);
            return;
        }
        for (int b = 0; b < w.batches; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    int o = ((b * oh + y) * ow + x) * n;
                    if (bias != null) {
                        System.arraycopy(bias, 0, dst, o, n);
                    } else {
                        java.util.Arrays.fill(dst, o, o + n, 0f);
                    }
                    for (int ky = 0; ky < w.filterH; ky++) {
                        int iy = y * w.strideH - w.padTop + ky * w.dilationH;
                        if (iy < 0 || iy >= w.inH) {
                            continue;
                        }
                        for (int kx = 0; kx < w.filterW; kx++) {
                            int ix = x * w.strideW - w.padLeft + kx * w.dilationW;
                            if (ix < 0 || ix >= w.inW) {
                                continue;
                            }
                            int i = ((b * w.inH + iy) * w.inW + ix) * c;
                            int f = (ky * w.filterW + kx) * n;
                            if (multiplier == 1) {
                                for (int k = 0; k < n; k++) {
                                    dst[o + k] += src[i + k] * filter[f + k];
                                }
                            } else {
                                addWithMultiplier(src, i, c, f, dst, o);
                            }
                        }
                    }
                    FloatActivation.clamp(dst, o, o + n, lo, hi);
                }
            }
        }
    }

    /**
     * Stride 1 along x, multiplier 1: for one tap, the in-bounds part of an output row and the input row it
     * reads are both contiguous, so the tap is one long multiply-add against the tiled filter row.
     */
    private void rowWise(float[] src, float[] dst, float[] bias) {
        SlidingWindow w = window;
        int n = outChannels;
        int ow = w.outW;
        int taps = w.filterH * w.filterW;
        int rowLength = ow * n;
        if (tiledWidth != ow) {
            tiledTaps = new float[taps * rowLength];
            for (int t = 0; t < taps; t++) {
                for (int x = 0; x < ow; x++) {
                    System.arraycopy(filter, t * n, tiledTaps, t * rowLength + x * n, n);
                }
            }
            tiledWidth = ow;
        }
        float[] tiled = tiledTaps;
        for (int b = 0; b < w.batches; b++) {
            for (int y = 0; y < w.outH; y++) {
                int row = ((b * w.outH + y) * ow) * n;
                for (int x = 0; x < ow; x++) {
                    if (bias != null) {
                        System.arraycopy(bias, 0, dst, row + x * n, n);
                    } else {
                        java.util.Arrays.fill(dst, row + x * n, row + (x + 1) * n, 0f);
                    }
                }
                for (int ky = 0; ky < w.filterH; ky++) {
                    int iy = y * w.strideH - w.padTop + ky * w.dilationH;
                    if (iy < 0 || iy >= w.inH) {
                        continue;
                    }
                    for (int kx = 0; kx < w.filterW; kx++) {
                        int shift = kx * w.dilationW - w.padLeft;
                        int xStart = Math.max(0, -shift);
                        int xEnd = Math.min(ow, w.inW - shift);
                        if (xStart >= xEnd) {
                            continue;
                        }
                        int o = row + xStart * n;
                        int i = ((b * w.inH + iy) * w.inW + xStart + shift) * n;
                        int f = (ky * w.filterW + kx) * rowLength;
                        int len = (xEnd - xStart) * n;
                        for (int j = 0; j < len; j++) {
                            dst[o + j] += src[i + j] * tiled[f + j];
                        }
                    }
                }
                FloatActivation.clamp(dst, row, row + rowLength, lo, hi);
            }
        }
    }

    private void addWithMultiplier(float[] src, int i, int c, int f, float[] dst, int o) {
        int m = multiplier;
        for (int ch = 0; ch < c; ch++) {
            float v = src[i + ch];
            int base = ch * m;
            for (int k = 0; k < m; k++) {
                dst[o + base + k] += v * filter[f + base + k];
            }
        }
    }
}
