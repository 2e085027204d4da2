package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * DEPTHWISE_CONV_2D on float: filter [1][kh][kw][in * multiplier], output channel c * multiplier + m reads
 * input channel c. The filter is already tap-major with output channels contiguous, which is what the
 * inner loop wants: each in-bounds tap adds input pixel x filter row into the output pixel. Multiplier 1
 * (the common case) runs {@link FloatLoops#depthwiseRow}, SIMD over channels when available.
 */
final class DepthwiseConv2D implements Kernel {
    private final SlidingWindow window;
    private final float[] filter;
    private final int multiplier;
    private final int outChannels;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final FloatLoops loops;
    private final ShapeMemo shape = new ShapeMemo();

    private DepthwiseConv2D(
            SlidingWindow window,
            float[] filter,
            int multiplier,
            boolean hasBias,
            float lo,
            float hi,
            FloatLoops loops) {
        this.window = window;
        this.loops = loops;
        this.filter = filter;
        this.multiplier = multiplier;
        this.outChannels = window.channels * multiplier;
        this.hasBias = hasBias;
        this.lo = lo;
        this.hi = hi;
    }

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.fastest());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        OpOptions.DepthwiseConv2D o = ctx.options(OpOptions.DepthwiseConv2D.class);
        Tensor filter = ctx.input(1);
        if (filter.type() != DataType.FLOAT32 && filter.type() != DataType.FLOAT16) {
            throw ctx.fail("filter '" + filter.name() + "' of type " + filter.type()
                    + " is not supported (hybrid depthwise convolution is not implemented)");
        }
        SlidingWindow window = SlidingWindow.forDepthwiseFilter(
                ctx, o.padding(), o.strideH(), o.strideW(), o.dilationH(), o.dilationW());
        int channels = window.channels;
        int outChannels = filter.dim(3);
        SlidingWindow.checkBias(ctx, outChannels);
        float[] range = FloatActivation.range(ctx, o.activation());
        int multiplier = outChannels / channels;
        float[] weights = ctx.constFloats(1);
        if (multiplier == 1) {
            float[] bias =
                    !ctx.hasInput(2) ? new float[outChannels] : ctx.input(2).isConstant() ? ctx.constFloats(2) : null;
            weights = loops.prepareDepthwise(weights, bias, window.filterH * window.filterW, channels);
        }
        return new DepthwiseConv2D(window, weights, multiplier, ctx.hasInput(2), range[0], range[1], loops);
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
        if (multiplier == 1) {
            for (int b = 0; b < w.batches; b++) {
                loops.depthwise(w, src, filter, bias, b, dst, lo, hi);
            }
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
                            addWithMultiplier(src, i, c, f, dst, o);
                        }
                    }
                    FloatActivation.clamp(dst, o, o + n, lo, hi);
                }
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
