package io.quanta.kernels.fp32;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * TRANSPOSE_CONV on float. Inputs: output_shape (int32 [4]), filter [out][kh][kw][in], input NHWC, optional
 * bias. Each input pixel scatters input x filter into the output window at (y * stride - pad, x * stride -
 * pad); the padding is what a forward convolution from the output's size would use. One input row at a
 * time is multiplied by the filter packed [in][kh][kw][out] ({@link FloatGemm}) and the column block added
 * into the output; bias and the fused activation follow.
 */
final class TransposeConv implements Kernel {
    private final OpOptions.TransposeConv options;
    private final int outChannels;
    private final int inChannels;
    private final int filterH;
    private final int filterW;
    private final float[] packed;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final String opName;
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] dims = new int[4];
    private float[] columns = new float[0];

    private TransposeConv(OpContext ctx, OpOptions.TransposeConv options, Tensor filter, float lo, float hi) {
        this.options = options;
        this.outChannels = filter.dim(0);
        this.filterH = filter.dim(1);
        this.filterW = filter.dim(2);
        this.inChannels = filter.dim(3);
        this.packed = pack(ctx.constFloats(1), outChannels, filterH * filterW, inChannels);
        this.hasBias = ctx.hasInput(3);
        this.lo = lo;
        this.hi = hi;
        this.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
    }

    /** Filter [out][taps][in] to [in][taps][out]: one input channel's row holds every tap's output block. */
    private static float[] pack(float[] f, int out, int taps, int in) {
        float[] packed = new float[f.length];
        for (int o = 0; o < out; o++) {
            for (int t = 0; t < taps; t++) {
                for (int i = 0; i < in; i++) {
                    packed[(i * taps + t) * out + o] = f[(o * taps + t) * in + i];
                }
            }
        }
        return packed;
    }

    static Kernel create(OpContext ctx) {
        OpOptions.TransposeConv o = ctx.options(OpOptions.TransposeConv.class);
        Tensor filter = ctx.input(1);
        SlidingWindow.requireRank4(ctx, filter, "filter");
        SlidingWindow.requireRank4(ctx, ctx.input(2), "input");
        if (ctx.input(2).dim(3) != filter.dim(3)) {
            throw ctx.fail("input '" + ctx.input(2).name() + "' has "
                    + ctx.input(2).dim(3) + " channels but filter '" + filter.name() + "' expects " + filter.dim(3));
        }
        if (ctx.hasInput(3) && ctx.input(3).elementCount() != filter.dim(0)) {
            throw ctx.fail("bias '" + ctx.input(3).name() + "' has "
                    + ctx.input(3).elementCount() + " elements, expected " + filter.dim(0));
        }
        float[] range = FloatActivation.range(ctx, o.activation());
        return new TransposeConv(ctx, o, filter, range[0], range[1]);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[2];
        int[] requested = in[0].i;
        for (int d = 0; d < 4; d++) {
            dims[d] = requested[d];
        }
        int batches = input.dim(0);
        int inH = input.dim(1);
        int inW = input.dim(2);
        if (in[0].size() != 4 || dims[0] != batches || dims[3] != outChannels) {
            throw new IllegalArgumentException(opName + ": output_shape " + Arrays.toString(Arrays.copyOf(dims, 4))
                    + " does not fit input " + Arrays.toString(input.shape()) + " and " + outChannels + " filters");
        }
        int outH = dims[1];
        int outW = dims[2];
        TensorValue output = out[0];
        output.resize(shape.of(dims, 4));
        int sh = options.strideH();
        int sw = options.strideW();
        int padTop = SlidingWindow.padBefore(
                outH, filterH, sh, 1, SlidingWindow.outputSize(options.padding(), outH, filterH, sh, 1));
        int padLeft = SlidingWindow.padBefore(
                outW, filterW, sw, 1, SlidingWindow.outputSize(options.padding(), outW, filterW, sw, 1));
        int tapBlock = filterH * filterW * outChannels;
        if (columns.length < inW * tapBlock) {
            columns = new float[inW * tapBlock];
        }
        float[] dst = output.f;
        Arrays.fill(dst, 0, output.size(), 0f);
        for (int b = 0; b < batches; b++) {
            for (int y = 0; y < inH; y++) {
                FloatGemm.multiply(
                        input.f,
                        ((b * inH + y) * inW) * inChannels,
                        inChannels,
                        inW,
                        inChannels,
                        packed,
                        null,
                        tapBlock,
                        columns,
                        0,
                        Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY);
                for (int x = 0; x < inW; x++) {
                    for (int ky = 0; ky < filterH; ky++) {
                        int oy = y * sh - padTop + ky;
                        if (oy < 0 || oy >= outH) {
                            continue;
                        }
                        for (int kx = 0; kx < filterW; kx++) {
                            int ox = x * sw - padLeft + kx;
                            if (ox < 0 || ox >= outW) {
                                continue;
                            }
                            int o = ((b * outH + oy) * outW + ox) * outChannels;
                            int c = x * tapBlock + (ky * filterW + kx) * outChannels;
                            for (int k = 0; k < outChannels; k++) {
                                dst[o + k] += columns[c + k];
                            }
                        }
                    }
                }
            }
        }
        float[] bias = hasBias ? in[3].f : null;
        int pixels = output.size() / outChannels;
        for (int p = 0; p < pixels; p++) {
            int o = p * outChannels;
            if (bias != null) {
                for (int k = 0; k < outChannels; k++) {
                    dst[o + k] += bias[k];
                }
            }
            FloatActivation.clamp(dst, o, o + outChannels, lo, hi);
        }
    }
}
