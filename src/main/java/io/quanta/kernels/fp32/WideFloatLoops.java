package io.quanta.kernels.fp32;

import io.quanta.kernels.SlidingWindow;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link FloatLoops} of the float kernels on hardware with native 512-bit vectors (AVX-512): twice the
 * multiply-adds per instruction of {@link VectorFloatLoops}. It uses no other float vector shape, since C2 in Java
 * 17 boxes vectors once two shapes run in one process (see {@link WideGemm}); so 8-channel layers, common in
 * small image models, use two pixels per vector (8-column products and stride-1 depthwise convolutions over 8
 * channels), and other channel counts that are not a multiple of 16 finish with scalar loops. Loaded only when
 * the module is present (see {@link FloatLoops.Selection}).
 */
final class WideFloatLoops implements FloatLoops {
    private static final VectorSpecies<Float> S = WideGemm.S;
    private static final int L = WideGemm.L;
    private static final float[] ZEROS = new float[L];

    private WideFloatLoops() {}

    /** This implementation, or null unless the JVM's preferred vectors hold 16 floats. */
    static FloatLoops createIfUsable() {
        return FloatVector.SPECIES_PREFERRED.length() >= L ? new WideFloatLoops() : null;
    }

    @Override
    public void gemm(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] w,
            int wOff,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        WideGemm.strided(a, aOff, lda, rows, depth, w, wOff, bias, n, out, outOff, lo, hi);
    }

    @Override
    public float[] pack(float[] depthMajor, int depth, int n) {
        return WideGemm.pack(depthMajor, depth, n);
    }

    @Override
    public void gemmPacked(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] packed,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        WideGemm.packed(a, aOff, lda, rows, packed, depth, 0, depth, bias, false, n, out, outOff, lo, hi);
    }

    private static FloatVector biasOrZero(float[] bias, int j) {
        return FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : j);
    }

    // ---------------------------------------------------------------------------------------------------
    // Depthwise convolution, multiplier 1: channels are the lanes

    /**
     * An 8-channel filter with a constant bias is followed by each tap written twice (16 values) and the bias
     * written twice, for {@link #threeByThreePairs}.
     */
    @Override
    public float[] prepareDepthwise(float[] filter, float[] bias, int taps, int channels) {
        if (channels != L / 2 || bias == null || filter.length != taps * channels) {
            return filter;
        }
        float[] p = java.util.Arrays.copyOf(filter, pairedLength(taps));
        for (int t = 0; t <= taps; t++) {
            float[] src = t < taps ? filter : bias;
            int from = t < taps ? t * channels : 0;
            System.arraycopy(src, from, p, taps * channels + t * L, channels);
            System.arraycopy(src, from, p, taps * channels + t * L + channels, channels);
        }
        return p;
    }

    /** Length of an 8-channel filter of so many taps prepared by {@link #prepareDepthwise}. */
    private static int pairedLength(int taps) {
        return taps * (L / 2 + L) + L;
    }

    @Override
    public void depthwiseRow(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            float[] out,
            float lo,
            float hi) {
        int xLo = 0;
        int xHi = 0;
        if (win.rowInside(y)) {
            xLo = win.firstInteriorColumn();
            xHi = win.endInteriorColumns();
        }
        int c = win.channels;
        int o0 = ((b * win.outH + y) * win.outW) * c;
        boolean threeByThree = win.filterH == 3 && win.filterW == 3 && win.dilationH == 1 && win.dilationW == 1;
        for (int x = 0; x < xLo; x++) {
            borderPixel(win, in, filter, bias, b, y, x, out);
        }
        if (threeByThree && c == L / 2 && win.strideW == 1 && filter.length == pairedLength(9)) {
            int pairEnd = xLo + (xHi - xLo) / 2 * 2;
            threeByThreePairs(win, in, filter, bias, b, y, xLo, pairEnd, out);
            VectorFloatLoops.depthwiseScalarChannels(win, in, filter, bias, b, y, pairEnd, xHi, 0, out, lo, hi);
        } else if (threeByThree) {
            threeByThreeInterior(win, in, filter, bias, b, y, xLo, xHi, out);
        } else {
            interior(win, in, filter, bias, b, y, xLo, xHi, out);
        }
        for (int x = Math.max(xHi, xLo); x < win.outW; x++) {
            borderPixel(win, in, filter, bias, b, y, x, out);
        }
        WideGemm.clamp(out, o0, o0 + win.outW * c, lo, hi);
    }

    /** Offset of the first input value of output pixel (b, y, x)'s window, which must lie inside the input. */
    private static int windowStart(SlidingWindow win, int b, int y, int x) {
        return VectorFloatLoops.windowStart(win, b, y, x);
    }

    /**
     * Output columns [xLo, xHi) of a 3x3 window wholly inside the input: per vector of channels the nine filter
     * vectors stay in registers while the window slides along the row. Unclamped.
     */
    private static void threeByThreeInterior(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, int y, int xLo, int xHi, float[] out) {
        if (xLo >= xHi) {
            return;
        }
        int c = win.channels;
        int cv = c - c % L;
        int rowStride = win.inW * c;
        int pixelStep = win.strideW * c;
        int in0 = windowStart(win, b, y, xLo);
        int out0 = ((b * win.outH + y) * win.outW + xLo) * c;
        for (int ch = 0; ch < cv; ch += L) {
            float[] init = bias == null ? ZEROS : bias;
            int s = bias == null ? 0 : ch;
            threeByThreeChannels(
                    in, in0 + ch, c, rowStride, pixelStep, filter, ch, c, init, s, 0, xHi - xLo, out, out0 + ch, c);
        }
        float inf = Float.POSITIVE_INFINITY;
        VectorFloatLoops.depthwiseScalarChannels(win, in, filter, bias, b, y, xLo, xHi, cv, out, -inf, inf);
    }

    /**
     * Pixels of 8 channels, stride 1, two per vector: the window of the next pixel starts 8 values further on, so
     * one load covers the same tap of both, and each filter tap is read written twice (see prepareDepthwise).
     */
    private static void threeByThreePairs(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, int y, int xLo, int xHi, float[] out) {
        if (xLo >= xHi) {
            return;
        }
        int c = win.channels;
        int in0 = windowStart(win, b, y, xLo);
        int out0 = ((b * win.outH + y) * win.outW + xLo) * c;
        // taps and bias written twice follow the filter (prepareDepthwise)
        threeByThreeChannels(
                in,
                in0,
                c,
                win.inW * c,
                2 * c,
                filter,
                9 * c,
                L,
                filter,
                9 * c + 9 * L,
                0,
                (xHi - xLo) / 2,
                out,
                out0,
                2 * c);
    }

    /**
     * One vector of channels along a run of pixels: input at i (taps c apart, rows rowStride apart, pixels
     * pixelStep apart), filter taps from f (fStride apart), starting sums from init at s (sStep apart), output
     * from o (outStep apart). Unclamped.
     */
    private static void threeByThreeChannels(
            float[] in,
            int i,
            int c,
            int rowStride,
            int pixelStep,
            float[] filter,
            int f,
            int fStride,
            float[] init,
            int s,
            int sStep,
            int count,
            float[] out,
            int o,
            int outStep) {
        FloatVector f00 = FloatVector.fromArray(S, filter, f);
        FloatVector f01 = FloatVector.fromArray(S, filter, f + fStride);
        FloatVector f02 = FloatVector.fromArray(S, filter, f + 2 * fStride);
        FloatVector f10 = FloatVector.fromArray(S, filter, f + 3 * fStride);
        FloatVector f11 = FloatVector.fromArray(S, filter, f + 4 * fStride);
        FloatVector f12 = FloatVector.fromArray(S, filter, f + 5 * fStride);
        FloatVector f20 = FloatVector.fromArray(S, filter, f + 6 * fStride);
        FloatVector f21 = FloatVector.fromArray(S, filter, f + 7 * fStride);
        FloatVector f22 = FloatVector.fromArray(S, filter, f + 8 * fStride);
        for (int x = 0; x < count; x++, i += pixelStep, o += outStep, s += sStep) {
            int i1 = i + rowStride;
            int i2 = i1 + rowStride;
            FloatVector acc = FloatVector.fromArray(S, in, i).fma(f00, FloatVector.fromArray(S, init, s));
            acc = FloatVector.fromArray(S, in, i + c).fma(f01, acc);
            acc = FloatVector.fromArray(S, in, i + 2 * c).fma(f02, acc);
            acc = FloatVector.fromArray(S, in, i1).fma(f10, acc);
            acc = FloatVector.fromArray(S, in, i1 + c).fma(f11, acc);
            acc = FloatVector.fromArray(S, in, i1 + 2 * c).fma(f12, acc);
            acc = FloatVector.fromArray(S, in, i2).fma(f20, acc);
            acc = FloatVector.fromArray(S, in, i2 + c).fma(f21, acc);
            acc = FloatVector.fromArray(S, in, i2 + 2 * c).fma(f22, acc);
            acc.intoArray(out, o);
        }
    }

    /** Output columns [xLo, xHi) of any window wholly inside the input: one flat loop over the taps. Unclamped. */
    private static void interior(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, int y, int xLo, int xHi, float[] out) {
        if (xLo >= xHi) {
            return;
        }
        int c = win.channels;
        int cv = c - c % L;
        int taps = win.filterH * win.filterW;
        int[] offsets = win.windowOffsets();
        for (int x = xLo; x < xHi; x++) {
            int start = windowStart(win, b, y, x);
            int o = ((b * win.outH + y) * win.outW + x) * c;
            for (int ch = 0; ch < cv; ch += L) {
                FloatVector acc = biasOrZero(bias, ch);
                for (int t = 0; t < taps; t++) {
                    acc = FloatVector.fromArray(S, in, start + offsets[t * c] + ch)
                            .fma(FloatVector.fromArray(S, filter, t * c + ch), acc);
                }
                acc.intoArray(out, o + ch);
            }
        }
        float inf = Float.POSITIVE_INFINITY;
        VectorFloatLoops.depthwiseScalarChannels(win, in, filter, bias, b, y, xLo, xHi, cv, out, -inf, inf);
    }

    /** One output pixel whose window may hang over the border: sums in the output, skipping outside taps. */
    private static void borderPixel(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, int y, int x, float[] out) {
        int c = win.channels;
        int cv = c - c % L;
        int o = ((b * win.outH + y) * win.outW + x) * c;
        for (int ch = 0; ch < cv; ch += L) {
            biasOrZero(bias, ch).intoArray(out, o + ch);
        }
        for (int ky = 0; ky < win.filterH; ky++) {
            int iy = y * win.strideH - win.padTop + ky * win.dilationH;
            if (iy < 0 || iy >= win.inH) {
                continue;
            }
            for (int kx = 0; kx < win.filterW; kx++) {
                int ix = x * win.strideW - win.padLeft + kx * win.dilationW;
                if (ix < 0 || ix >= win.inW) {
                    continue;
                }
                int i = ((b * win.inH + iy) * win.inW + ix) * c;
                int f = (ky * win.filterW + kx) * c;
                for (int ch = 0; ch < cv; ch += L) {
                    FloatVector.fromArray(S, in, i + ch)
                            .fma(FloatVector.fromArray(S, filter, f + ch), FloatVector.fromArray(S, out, o + ch))
                            .intoArray(out, o + ch);
                }
            }
        }
        float inf = Float.POSITIVE_INFINITY;
        VectorFloatLoops.depthwiseScalarChannels(win, in, filter, bias, b, y, x, x + 1, cv, out, -inf, inf);
    }

    // ---------------------------------------------------------------------------------------------------
    // Direct convolution (few input channels), without im2col

    /**
     * As in {@link VectorFloatLoops#convRow}: for the output columns whose windows lie inside the input
     * horizontally, each filter row is a matrix product with the input row as the left matrix (row stride
     * strideW * channels), summed into the output row; border columns are done pixel by pixel.
     */
    @Override
    public void convRow(
            SlidingWindow win,
            float[] in,
            float[] packed,
            float[] bias,
            int n,
            int b,
            int y,
            float[] out,
            float lo,
            float hi) {
        int xLo = win.firstInteriorColumn();
        int xHi = win.endInteriorColumns();
        int lastRow = -1;
        for (int ky = 0; ky < win.filterH; ky++) {
            int iy = y * win.strideH - win.padTop + ky * win.dilationH;
            if (iy >= 0 && iy < win.inH) {
                lastRow = ky;
            }
        }
        if (win.dilationW != 1 || lastRow < 0) {
            xLo = win.outW;
            xHi = win.outW;
        }
        for (int x = 0; x < xLo; x++) {
            convBorderPixel(win, in, packed, bias, n, b, y, x, out, lo, hi);
        }
        if (xLo < xHi) {
            int c = win.channels;
            int rowLen = win.filterW * c;
            int o = ((b * win.outH + y) * win.outW + xLo) * n;
            boolean accumulate = false;
            for (int ky = 0; ky <= lastRow; ky++) {
                int iy = y * win.strideH - win.padTop + ky * win.dilationH;
                if (iy < 0 || iy >= win.inH) {
                    continue;
                }
                int a = ((b * win.inH + iy) * win.inW + xLo * win.strideW - win.padLeft) * c;
                boolean last = ky == lastRow;
                WideGemm.packed(
                        in,
                        a,
                        win.strideW * c,
                        xHi - xLo,
                        packed,
                        win.filterH * rowLen,
                        ky * rowLen,
                        rowLen,
                        bias,
                        accumulate,
                        n,
                        out,
                        o,
                        last ? lo : Float.NEGATIVE_INFINITY,
                        last ? hi : Float.POSITIVE_INFINITY);
                accumulate = true;
            }
        }
        for (int x = Math.max(xLo, xHi); x < win.outW; x++) {
            convBorderPixel(win, in, packed, bias, n, b, y, x, out, lo, hi);
        }
    }

    /** One output pixel whose window may hang over the border: sums in the output, skipping outside taps. */
    private static void convBorderPixel(
            SlidingWindow win,
            float[] in,
            float[] packed,
            float[] bias,
            int n,
            int b,
            int y,
            int x,
            float[] out,
            float lo,
            float hi) {
        int c = win.channels;
        int depth = win.filterH * win.filterW * c;
        int nv = n == L / 2 ? 0 : n - n % L;
        int o = ((b * win.outH + y) * win.outW + x) * n;
        for (int j = 0; j < nv; j += L) {
            biasOrZero(bias, j).intoArray(out, o + j);
        }
        for (int ky = 0; ky < win.filterH; ky++) {
            int iy = y * win.strideH - win.padTop + ky * win.dilationH;
            if (iy < 0 || iy >= win.inH) {
                continue;
            }
            for (int kx = 0; kx < win.filterW; kx++) {
                int ix = x * win.strideW - win.padLeft + kx * win.dilationW;
                if (ix < 0 || ix >= win.inW) {
                    continue;
                }
                int i = ((b * win.inH + iy) * win.inW + ix) * c;
                for (int ci = 0; ci < c; ci++) {
                    FloatVector v = FloatVector.broadcast(S, in[i + ci]);
                    int k = (ky * win.filterW + kx) * c + ci;
                    for (int j = 0; j < nv; j += L) {
                        FloatVector.fromArray(S, packed, WideGemm.packedIndex(k, j, depth, n))
                                .fma(v, FloatVector.fromArray(S, out, o + j))
                                .intoArray(out, o + j);
                    }
                }
            }
        }
        convScalarColumns(win, in, packed, bias, n, nv, b, y, x, out);
        WideGemm.clamp(out, o, o + n, lo, hi);
    }

    /** Output channels [from, n) of one output pixel, scalar, unclamped. */
    private static void convScalarColumns(
            SlidingWindow win,
            float[] in,
            float[] packed,
            float[] bias,
            int n,
            int from,
            int b,
            int y,
            int x,
            float[] out) {
        int c = win.channels;
        int depth = win.filterH * win.filterW * c;
        int o = ((b * win.outH + y) * win.outW + x) * n;
        for (int j = from; j < n; j++) {
            float acc = bias == null ? 0f : bias[j];
            for (int ky = 0; ky < win.filterH; ky++) {
                int iy = y * win.strideH - win.padTop + ky * win.dilationH;
                if (iy < 0 || iy >= win.inH) {
                    continue;
                }
                for (int kx = 0; kx < win.filterW; kx++) {
                    int ix = x * win.strideW - win.padLeft + kx * win.dilationW;
                    if (ix < 0 || ix >= win.inW) {
                        continue;
                    }
                    int i = ((b * win.inH + iy) * win.inW + ix) * c;
                    int k = (ky * win.filterW + kx) * c;
                    for (int ci = 0; ci < c; ci++) {
                        acc += in[i + ci] * packed[WideGemm.packedIndex(k + ci, j, depth, n)];
                    }
                }
            }
            out[o + j] = acc;
        }
    }
}
