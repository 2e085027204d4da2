package io.quanta.kernels.int16;

import io.quanta.graph.OpOptions;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * CONV_2D and DEPTHWISE_CONV_2D in 16x8, as TFLite's reference int16 kernels (which TFLite runs whenever the bias
 * is int64): an int64 sum of int16 x int8 products over the window points inside the input, plus the bias,
 * requantized per output channel.
 */
final class Conv2D implements Kernel {
    private final SlidingWindow window;
    private final byte[] filter;
    private final int outChannels;
    private final int depthMultiplier; // 0 for a regular convolution
    private final AffineRequant requant;
    private final int[] outShape = new int[4];

    static Kernel conv(OpContext ctx) {
        OpOptions.Conv2D o = ctx.options(OpOptions.Conv2D.class);
        SlidingWindow w =
                SlidingWindow.forFilter(ctx, o.padding(), o.strideH(), o.strideW(), o.dilationH(), o.dilationW());
        return new Conv2D(ctx, w, ctx.input(1).dim(0), 0, o.activation());
    }

    static Kernel depthwise(OpContext ctx) {
        OpOptions.DepthwiseConv2D o = ctx.options(OpOptions.DepthwiseConv2D.class);
        SlidingWindow w = SlidingWindow.forDepthwiseFilter(
                ctx, o.padding(), o.strideH(), o.strideW(), o.dilationH(), o.dilationW());
        int outChannels = ctx.input(1).dim(3);
        return new Conv2D(ctx, w, outChannels, outChannels / w.channels, o.activation());
    }

    private Conv2D(
            OpContext ctx, SlidingWindow window, int outChannels, int depthMultiplier, io.quanta.graph.Activation act) {
        this.window = window;
        this.outChannels = outChannels;
        this.depthMultiplier = depthMultiplier;
        this.requant = new AffineRequant(ctx, outChannels, act);
        this.filter = ctx.input(1).data();
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        SlidingWindow w = window;
        w.bind(input);
        outShape[0] = w.batches;
        outShape[1] = w.outH;
        outShape[2] = w.outW;
        outShape[3] = outChannels;
        out[0].resize(outShape);
        short[] x = input.s;
        short[] y = out[0].s;
        int inC = w.channels;
        int o = 0;
        for (int b = 0; b < w.batches; b++) {
            for (int oy = 0; oy < w.outH; oy++) {
                int y0 = oy * w.strideH - w.padTop;
                for (int ox = 0; ox < w.outW; ox++) {
                    int x0 = ox * w.strideW - w.padLeft;
                    for (int oc = 0; oc < outChannels; oc++) {
                        y[o++] = requant.output(windowSum(x, b, y0, x0, oc, inC), oc);
                    }
                }
            }
        }
    }

    /** The sum of filter x input products over the window points inside the input, for output channel oc. */
    private long windowSum(short[] x, int b, int y0, int x0, int oc, int inC) {
        SlidingWindow w = window;
        int ic = depthMultiplier == 0 ? 0 : oc / depthMultiplier;
        long acc = 0;
        for (int fy = 0; fy < w.filterH; fy++) {
            int iy = y0 + fy * w.dilationH;
            if (iy < 0 || iy >= w.inH) continue;
            for (int fx = 0; fx < w.filterW; fx++) {
                int ix = x0 + fx * w.dilationW;
                if (ix < 0 || ix >= w.inW) continue;
                int xi = ((b * w.inH + iy) * w.inW + ix) * inC;
                if (depthMultiplier == 0) {
                    int fi = ((oc * w.filterH + fy) * w.filterW + fx) * inC;
                    for (int c = 0; c < inC; c++) {
                        acc += (long) filter[fi + c] * x[xi + c];
                    }
                } else {
                    acc += (long) filter[(fy * w.filterW + fx) * outChannels + oc] * x[xi + ic];
                }
            }
        }
        return acc;
    }
}
