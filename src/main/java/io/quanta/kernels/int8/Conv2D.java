package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;

/**
 * CONV_2D, int8 activations, int8 weights per channel (or per tensor), int32 bias: TFLite's
 * ConvPerChannel. Weights are widened to int once; each output pixel gathers its receptive field (input
 * plus the input offset, zero where padded) and takes one dot product per output channel.
 */
final class Conv2D implements Kernel {
    private final OpOptions.Conv2D options;
    private final int outChannels;
    private final int kernelH;
    private final int kernelW;
    private final int inChannels;
    private final int[] weights; // [outChannels][kernelH * kernelW * inChannels]
    private final ConvQuant quant;
    private final int[] patch;
    private final int[] sums; // one output pixel's accumulators
    private final SlidingWindow window;
    private final int[] outShape = new int[4];

    static Kernel create(OpContext ctx) {
        return new Conv2D(ctx);
    }

    private Conv2D(OpContext ctx) {
        options = ctx.options(OpOptions.Conv2D.class);
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        ConvQuant.check(ctx);
        outChannels = filter.dim(0);
        kernelH = filter.dim(1);
        kernelW = filter.dim(2);
        inChannels = filter.dim(3);
        if (input.dim(3) != inChannels) {
            throw ctx.fail("input has " + input.dim(3) + " channels but filter '" + filter.name() + "' expects "
                    + inChannels + " (grouped convolution is not supported)");
        }
        weights = Weights.widen(filter.data());
        quant = ConvQuant.of(ctx, options.activation(), outChannels);
        patch = new int[kernelH * kernelW * inChannels];
        sums = new int[outChannels];
        window = new SlidingWindow(ctx, options.padding(), kernelH, kernelW, options.strideH(), options.strideW(),
                options.dilationH(), options.dilationW(), inChannels);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        TensorValue output = out[0];
        int strideH = options.strideH();
        int strideW = options.strideW();
        int dilH = options.dilationH();
        int dilW = options.dilationW();
        SlidingWindow g = window;
        g.bind(input);
        Values.resizeNhwc(output, outShape, g.batches, g.outH, g.outW, outChannels);
        int batches = g.batches;
        int inH = g.inH;
        int inW = g.inW;
        int outH = g.outH;
        int outW = g.outW;
        int padH = g.padTop;
        int padW = g.padLeft;
        int[] bias = quant.bias();
        int inputOffset = quant.inputOffset();
        int[] acc = sums;
        byte[] x = input.b;
        byte[] y = output.b;
        int[] p = patch;
        int[] w = weights;
        int depth = inChannels;
        int k = p.length;
        int o = 0;
        for (int b = 0; b < batches; b++) {
            int batchBase = b * inH * inW * depth;
            for (int oy = 0; oy < outH; oy++) {
                int iy0 = oy * strideH - padH;
                for (int ox = 0; ox < outW; ox++) {
                    int ix0 = ox * strideW - padW;
                    int q = 0;
                    for (int ky = 0; ky < kernelH; ky++) {
                        int iy = iy0 + ky * dilH;
                        boolean rowInside = iy >= 0 && iy < inH;
                        for (int kx = 0; kx < kernelW; kx++) {
                            int ix = ix0 + kx * dilW;
                            if (rowInside && ix >= 0 && ix < inW) {
                                int src = batchBase + (iy * inW + ix) * depth;
                                for (int c = 0; c < depth; c++) {
                                    p[q + c] = x[src + c] + inputOffset;
                                }
                            } else {
                                for (int c = 0; c < depth; c++) {
                                    p[q + c] = 0;
                                }
                            }
                            q += depth;
                        }
                    }
                    for (int oc = 0, wBase = 0; oc < outChannels; oc++, wBase += k) {
                        int sum = 0;
                        for (int j = 0; j < k; j++) {
                            sum += w[wBase + j] * p[j];
                        }
                        acc[oc] = sum + bias[oc];
                    }
                    o = quant.store(acc, y, o, true);
                }
            }
        }
    }
}
