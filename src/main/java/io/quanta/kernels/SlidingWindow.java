package io.quanta.kernels;

import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Padding;
import io.quanta.graph.Tensor;
import java.util.Arrays;

/**
 * A 2-D window sliding over an NHWC input (convolutions and pooling, float and int8): the fixed filter geometry,
 * plus the output size and leading padding for the input shape last bound, recomputed only when that shape
 * changes. Sizes follow TFLite: SAME gives ceil(in / stride) outputs and puts the odd extra padding pixel at the
 * end, VALID keeps the window inside the input. Only the leading padding matters to a kernel: trailing taps
 * fall outside.
 */
public final class SlidingWindow {
    public final Padding padding;
    public final int filterH;
    public final int filterW;
    public final int strideH;
    public final int strideW;
    public final int dilationH;
    public final int dilationW;
    /** Input channels, checked against every bound input. */
    public final int channels;

    private final String opName;

    public int batches = -1;
    public int inH = -1;
    public int inW = -1;
    public int outH;
    public int outW;
    public int padTop;
    public int padLeft;
    private int[] windowOffsets;

    public SlidingWindow(
            OpContext ctx,
            Padding padding,
            int filterH,
            int filterW,
            int strideH,
            int strideW,
            int dilationH,
            int dilationW,
            int channels) {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || filterH < 1 || filterW < 1) {
            throw ctx.fail("invalid window: filter " + filterH + "x" + filterW + ", stride " + strideH + "x" + strideW
                    + ", dilation " + dilationH + "x" + dilationW);
        }
        this.padding = padding;
        this.filterH = filterH;
        this.filterW = filterW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.channels = channels;
        this.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
    }

    /** The window of a 2-D pooling op over its input's channels (no dilation). */
    public static SlidingWindow forPool(OpContext ctx, OpOptions.Pool2D o) {
        return new SlidingWindow(
                ctx,
                o.padding(),
                o.filterHeight(),
                o.filterWidth(),
                o.strideH(),
                o.strideW(),
                1,
                1,
                ctx.input(0).dim(3));
    }

    /** The window of a convolution whose filter is input 1, shaped [out][kh][kw][in]. */
    public static SlidingWindow forFilter(
            OpContext ctx, Padding padding, int strideH, int strideW, int dilationH, int dilationW) {
        return forFilter(ctx, false, padding, strideH, strideW, dilationH, dilationW);
    }

    /**
     * The window of a depthwise convolution whose filter is input 1, shaped [1][kh][kw][in * multiplier]: fails
     * unless the filter's channels are a whole multiple of the input's.
     */
    public static SlidingWindow forDepthwiseFilter(
            OpContext ctx, Padding padding, int strideH, int strideW, int dilationH, int dilationW) {
        return forFilter(ctx, true, padding, strideH, strideW, dilationH, dilationW);
    }

    private static SlidingWindow forFilter(
            OpContext ctx, boolean depthwise, Padding padding, int strideH, int strideW, int dilationH, int dilationW) {
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        requireRank4(ctx, input, "input");
        requireRank4(ctx, filter, "filter");
        int channels = input.dim(3);
        int filterChannels = filter.dim(3);
        if (depthwise && (channels <= 0 || filterChannels % channels != 0)) {
            throw ctx.fail("filter '" + filter.name() + "' has " + filterChannels
                    + " output channels, not a multiple of the input's " + channels);
        }
        if (!depthwise && channels != filterChannels) {
            throw ctx.fail("input '" + input.name() + "' has " + channels + " channels but filter '" + filter.name()
                    + "' expects " + filterChannels + " (grouped convolution is not supported)");
        }
        return new SlidingWindow(
                ctx, padding, filter.dim(1), filter.dim(2), strideH, strideW, dilationH, dilationW, channels);
    }

    public static void requireRank4(OpContext ctx, Tensor t, String role) {
        if (t.rank() != 4) {
            throw ctx.fail(
                    role + " '" + t.name() + "' must have rank 4 (NHWC), found shape " + Arrays.toString(t.shape()));
        }
    }

    /** Fails unless the optional bias (input 2) is absent or holds n floats. */
    public static void checkBias(OpContext ctx, int n) {
        if (ctx.hasInput(2) && ctx.input(2).elementCount() != n) {
            throw ctx.fail("bias '" + ctx.input(2).name() + "' has "
                    + ctx.input(2).elementCount() + " elements, expected " + n);
        }
    }

    /** Reads the input shape, recomputing output size and padding when it changed. */
    public void bind(TensorValue input) {
        if (input.rank() != 4 || input.dim(3) != channels) {
            throw new ModelInvalidException(opName + ": input shape " + Arrays.toString(input.shape())
                    + " does not match " + channels + " channels NHWC");
        }
        int n = input.dim(0);
        int h = input.dim(1);
        int w = input.dim(2);
        if (n == batches && h == inH && w == inW) {
            return;
        }
        batches = n;
        inH = h;
        inW = w;
        outH = outputSize(padding, h, filterH, strideH, dilationH);
        outW = outputSize(padding, w, filterW, strideW, dilationW);
        if (outH <= 0 || outW <= 0) {
            throw new ModelInvalidException(opName + ": input " + h + "x" + w + " is smaller than the " + filterH + "x"
                    + filterW + " window (dilation " + dilationH + "x" + dilationW + ")");
        }
        padTop = padBefore(h, filterH, strideH, dilationH, outH);
        padLeft = padBefore(w, filterW, strideW, dilationW, outW);
        windowOffsets = null;
    }

    /**
     * For a window lying wholly inside the input: where each of its values sits relative to the window's
     * first one, in [kh][kw][channels] order (the im2col order). Computed once per bound input shape.
     */
    public int[] windowOffsets() {
        if (windowOffsets == null) {
            int[] offsets = new int[filterH * filterW * channels];
            int t = 0;
            for (int ky = 0; ky < filterH; ky++) {
                for (int kx = 0; kx < filterW; kx++) {
                    for (int c = 0; c < channels; c++) {
                        offsets[t++] = (ky * dilationH * inW + kx * dilationW) * channels + c;
                    }
                }
            }
            windowOffsets = offsets;
        }
        return windowOffsets;
    }

    /** Whether every filter row of output row y lies inside the input. */
    public boolean rowInside(int y) {
        int iy0 = y * strideH - padTop;
        return iy0 >= 0 && iy0 + (filterH - 1) * dilationH < inH;
    }

    /** The first output column whose window starts inside the input (no left padding in it). */
    public int firstInteriorColumn() {
        return Math.min(outW, (padLeft + strideW - 1) / strideW);
    }

    /** One past the last output column whose window ends inside the input; at least firstInteriorColumn. */
    public int endInteriorColumns() {
        int effW = effectiveSize(filterW, dilationW);
        int end = Math.min(outW, Math.floorDiv(inW - effW + padLeft, strideW) + 1);
        return Math.max(firstInteriorColumn(), end);
    }

    public boolean isPointwise() {
        return filterH == 1 && filterW == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padLeft == 0;
    }

    /**
     * Writes, for each output column x of output row y in batch b, the window's input values in
     * [kh][kw][channels] order into strip[x * depth ...], zeros where the window hangs over the border.
     */
    public void im2colRow(float[] in, int b, int y, float[] strip) {
        im2colRow(in, b, y, strip, 0);
    }

    /** {@link #im2colRow(float[], int, int, float[])} into strip from {@code stripOff} on. */
    public void im2colRow(float[] in, int b, int y, float[] strip, int stripOff) {
        int depth = filterH * filterW * channels;
        for (int x = 0; x < outW; x++) {
            im2colPixel(in, b, y, x, strip, stripOff + x * depth);
        }
    }

    /** The window of output pixel (b, y, x) in [kh][kw][channels] order into strip from base on, zeros outside. */
    public void im2colPixel(float[] in, int b, int y, int x, float[] strip, int base) {
        int tap = filterW * channels;
        int ix0 = x * strideW - padLeft;
        for (int ky = 0; ky < filterH; ky++) {
            int iy = y * strideH - padTop + ky * dilationH;
            int dst = base + ky * tap;
            if (iy < 0 || iy >= inH) {
                Arrays.fill(strip, dst, dst + tap, 0f);
                continue;
            }
            int rowStart = ((b * inH + iy) * inW) * channels;
            if (dilationW == 1 && ix0 >= 0 && ix0 + filterW <= inW) {
                System.arraycopy(in, rowStart + ix0 * channels, strip, dst, tap);
                continue;
            }
            for (int kx = 0; kx < filterW; kx++) {
                int ix = ix0 + kx * dilationW;
                int d = dst + kx * channels;
                if (ix < 0 || ix >= inW) {
                    Arrays.fill(strip, d, d + channels, 0f);
                } else {
                    System.arraycopy(in, rowStart + ix * channels, strip, d, channels);
                }
            }
        }
    }

    /** The same as {@link #im2colRow(float[], int, int, float[])} for quantized ints, padding with padValue. */
    public void im2colRow(int[] in, int b, int y, int padValue, int[] strip) {
        int depth = filterH * filterW * channels;
        for (int x = 0; x < outW; x++) {
            int ix0 = x * strideW - padLeft;
            for (int ky = 0; ky < filterH; ky++) {
                int iy = y * strideH - padTop + ky * dilationH;
                for (int kx = 0; kx < filterW; kx++) {
                    int ix = ix0 + kx * dilationW;
                    int d = x * depth + (ky * filterW + kx) * channels;
                    if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) {
                        Arrays.fill(strip, d, d + channels, padValue);
                    } else {
                        System.arraycopy(in, ((b * inH + iy) * inW + ix) * channels, strip, d, channels);
                    }
                }
            }
        }
    }

    /** The extent of a dilated filter: (filter - 1) * dilation + 1. */
    public static int effectiveSize(int filter, int dilation) {
        return (filter - 1) * dilation + 1;
    }

    /** Output size along one axis: ceil(in / stride) for SAME, the positions that fit inside for VALID. */
    public static int outputSize(Padding padding, int in, int filter, int stride, int dilation) {
        int eff = effectiveSize(filter, dilation);
        return padding == Padding.SAME ? (in + stride - 1) / stride : (in + stride - eff) / stride;
    }

    /** Padding before the first input element: half the total, rounded down (the extra pixel goes last). */
    public static int padBefore(int in, int filter, int stride, int dilation, int out) {
        int total = (out - 1) * stride + effectiveSize(filter, dilation) - in;
        return Math.max(total, 0) / 2;
    }
}
