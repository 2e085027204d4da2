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
        boolean pairs = threeByThree && c == L / 2 && win.strideW == 1 && filter.length == pairedLength(9);
        if (pairs || (threeByThree && c % L == 0)) {
            // every pixel in vectors: the edges from zero-padded copies of their windows
            if (!win.rowInside(y)) {
                xLo = win.outW;
                xHi = win.outW;
            } else if (pairs) {
                xHi = xLo + (xHi - xLo) / 2 * 2;
            }
            if (xLo > 0) {
                paddedThreeByThree(win, in, filter, bias, b, y, 0, xLo, pairs, out, lo, hi);
            }
            if (pairs) {
                threeByThreePairs(win, in, filter, bias, b, y, xLo, xHi, out, lo, hi);
            } else {
                threeByThreeInterior(win, in, filter, bias, b, y, xLo, xHi, out, lo, hi);
            }
            if (xHi < win.outW) {
                paddedThreeByThree(win, in, filter, bias, b, y, xHi, win.outW, pairs, out, lo, hi);
            }
            return;
        }
        for (int x = 0; x < xLo; x++) {
            borderPixel(win, in, filter, bias, b, y, x, out);
        }
        if (threeByThree) {
            threeByThreeInterior(win, in, filter, bias, b, y, xLo, xHi, out, lo, hi);
        } else {
            interior(win, in, filter, bias, b, y, xLo, xHi, out);
        }
        for (int x = Math.max(xHi, xLo); x < win.outW; x++) {
            borderPixel(win, in, filter, bias, b, y, x, out);
        }
        WideGemm.clamp(out, o0, o0 + win.outW * c, lo, hi);
    }

    /**
     * A 3x3 depthwise convolution whose channels fill vectors (or 8 channels in pairs of pixels, stride 1, an even
     * output width) over a zero-padded copy of the whole input: the copy costs one pass over the input, and then
     * every output pixel, edges included, runs in one flat loop per vector of channels, which loads its nine filter
     * vectors once (row by row, small layers spent their time in calls, filter loads and per-edge copies).
     */
    @Override
    public void depthwise(
            SlidingWindow win, float[] in, float[] filter, float[] bias, int b, float[] out, float lo, float hi) {
        int c = win.channels;
        boolean threeByThree = win.filterH == 3 && win.filterW == 3 && win.dilationH == 1 && win.dilationW == 1;
        boolean pairs =
                threeByThree && c == L / 2 && win.strideW == 1 && win.outW % 2 == 0 && filter.length == pairedLength(9);
        if (!pairs && !(threeByThree && c % L == 0)) {
            FloatLoops.super.depthwise(win, in, filter, bias, b, out, lo, hi);
            return;
        }
        int ph = (win.outH - 1) * win.strideH + 3;
        int pw = (win.outW - 1) * win.strideW + 3;
        int rowStride = pw * c;
        float[] pad = scratch(ph * rowStride);
        padImage(win, in, b, ph, pw, pad);
        int o0 = b * win.outH * win.outW * c;
        int rowSkip = win.strideH * rowStride;
        if (pairs) {
            int perRow = win.outW / 2;
            // taps and bias written twice follow the filter (prepareDepthwise)
            threeByThreeChannels(
                    pad,
                    0,
                    c,
                    rowStride,
                    2 * c,
                    filter,
                    9 * c,
                    L,
                    filter,
                    9 * c + 9 * L,
                    win.outH * perRow,
                    perRow,
                    rowSkip - perRow * 2 * c,
                    out,
                    o0,
                    2 * c,
                    lo,
                    hi);
            return;
        }
        int pixelStep = win.strideW * c;
        for (int ch = 0; ch < c; ch += L) {
            threeByThreeChannels(
                    pad,
                    ch,
                    c,
                    rowStride,
                    pixelStep,
                    filter,
                    ch,
                    c,
                    bias == null ? ZEROS : bias,
                    bias == null ? 0 : ch,
                    win.outH * win.outW,
                    win.outW,
                    rowSkip - win.outW * pixelStep,
                    out,
                    o0 + ch,
                    c,
                    lo,
                    hi);
        }
    }

    /**
     * Copies batch b's input rows and columns that the windows read into pad (ph rows of pw pixels), zeros where
     * they fall outside the input.
     */
    private static void padImage(SlidingWindow win, float[] in, int b, int ph, int pw, float[] pad) {
        int c = win.channels;
        int rowStride = pw * c;
        int left = Math.min(win.padLeft, pw);
        int copy = Math.max(0, Math.min(win.inW, pw - win.padLeft));
        for (int r = 0; r < ph; r++) {
            int iy = r - win.padTop;
            int row = r * rowStride;
            if (iy < 0 || iy >= win.inH || copy == 0) {
                java.util.Arrays.fill(pad, row, row + rowStride, 0f);
                continue;
            }
            java.util.Arrays.fill(pad, row, row + left * c, 0f);
            System.arraycopy(in, ((b * win.inH + iy) * win.inW) * c, pad, row + left * c, copy * c);
            java.util.Arrays.fill(pad, row + (left + copy) * c, row + rowStride, 0f);
        }
    }

    /** A per-thread scratch array of at least the given length (kernels may run on several threads at once). */
    private static float[] scratch(int length) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < length) {
            holder[0] = new float[length];
        }
        return holder[0];
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0]});

    /**
     * Output columns [x0, x1) of row y of a 3x3 depthwise convolution whose windows may hang over the border: the
     * input they read is copied with zeros outside (adding zero products leaves each sum's value), the vector
     * loops run on the copy, and the results are copied out. Pairs: 8 channels, stride 1, two pixels per vector
     * (an odd count computes one pixel more in the copy). Clamped to [lo, hi].
     */
    private static void paddedThreeByThree(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            int x0,
            int x1,
            boolean pairs,
            float[] out,
            float lo,
            float hi) {
        int c = win.channels;
        int count = x1 - x0;
        int pixels = pairs ? count + (count & 1) : count;
        int width = (pixels - 1) * win.strideW + 3;
        int rowStride = width * c;
        int results = 3 * rowStride;
        float[] pad = scratch(results + pixels * c);
        int ix0 = x0 * win.strideW - win.padLeft;
        int from = Math.max(ix0, 0);
        int to = Math.min(ix0 + width, win.inW);
        for (int ky = 0; ky < 3; ky++) {
            int iy = y * win.strideH - win.padTop + ky;
            int row = ky * rowStride;
            if (iy < 0 || iy >= win.inH || from >= to) {
                java.util.Arrays.fill(pad, row, row + rowStride, 0f);
                continue;
            }
            java.util.Arrays.fill(pad, row, row + (from - ix0) * c, 0f);
            System.arraycopy(
                    in, ((b * win.inH + iy) * win.inW + from) * c, pad, row + (from - ix0) * c, (to - from) * c);
            java.util.Arrays.fill(pad, row + (to - ix0) * c, row + rowStride, 0f);
        }
        if (pairs) {
            // taps and bias written twice follow the filter (prepareDepthwise)
            threeByThreeChannels(
                    pad,
                    0,
                    c,
                    rowStride,
                    2 * c,
                    filter,
                    9 * c,
                    L,
                    filter,
                    9 * c + 9 * L,
                    pixels / 2,
                    pixels / 2,
                    0,
                    pad,
                    results,
                    2 * c,
                    lo,
                    hi);
        } else {
            for (int ch = 0; ch < c; ch += L) {
                threeByThreeChannels(
                        pad,
                        ch,
                        c,
                        rowStride,
                        win.strideW * c,
                        filter,
                        ch,
                        c,
                        bias == null ? ZEROS : bias,
                        bias == null ? 0 : ch,
                        count,
                        count,
                        0,
                        pad,
                        results + ch,
                        c,
                        lo,
                        hi);
            }
        }
        System.arraycopy(pad, results, out, ((b * win.outH + y) * win.outW + x0) * c, count * c);
    }

    /** Offset of the first input value of output pixel (b, y, x)'s window, which must lie inside the input. */
    private static int windowStart(SlidingWindow win, int b, int y, int x) {
        return VectorFloatLoops.windowStart(win, b, y, x);
    }

    /**
     * Output columns [xLo, xHi) of a 3x3 window wholly inside the input: per vector of channels the nine filter
     * vectors stay in registers while the window slides along the row. Clamped to [lo, hi].
     */
    private static void threeByThreeInterior(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            int xLo,
            int xHi,
            float[] out,
            float lo,
            float hi) {
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
                    in, in0 + ch, c, rowStride, pixelStep, filter, ch, c, init, s, xHi - xLo, xHi - xLo, 0, out,
                    out0 + ch, c, lo, hi);
        }
        VectorFloatLoops.depthwiseScalarChannels(win, in, filter, bias, b, y, xLo, xHi, cv, out, lo, hi);
    }

    /**
     * Pixels of 8 channels, stride 1, two per vector: the window of the next pixel starts 8 values further on, so
     * one load covers the same tap of both, and each filter tap is read written twice (see prepareDepthwise).
     */
    private static void threeByThreePairs(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            int xLo,
            int xHi,
            float[] out,
            float lo,
            float hi) {
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
                (xHi - xLo) / 2,
                (xHi - xLo) / 2,
                0,
                out,
                out0,
                2 * c,
                lo,
                hi);
    }

    /**
     * One vector of channels along count pixels: input at i (taps c apart, rows rowStride apart, pixels pixelStep
     * apart, and inSkip more after every perRow pixels: the next output row), filter taps from f (fStride apart),
     * starting sums from init at s, output from o (outStep apart). Clamped to [lo, hi] as it is stored.
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
            int count,
            int perRow,
            int inSkip,
            float[] out,
            int o,
            int outStep,
            float lo,
            float hi) {
        FloatVector f00 = FloatVector.fromArray(S, filter, f);
        FloatVector f01 = FloatVector.fromArray(S, filter, f + fStride);
        FloatVector f02 = FloatVector.fromArray(S, filter, f + 2 * fStride);
        FloatVector f10 = FloatVector.fromArray(S, filter, f + 3 * fStride);
        FloatVector f11 = FloatVector.fromArray(S, filter, f + 4 * fStride);
        FloatVector f12 = FloatVector.fromArray(S, filter, f + 5 * fStride);
        FloatVector f20 = FloatVector.fromArray(S, filter, f + 6 * fStride);
        FloatVector f21 = FloatVector.fromArray(S, filter, f + 7 * fStride);
        FloatVector f22 = FloatVector.fromArray(S, filter, f + 8 * fStride);
        FloatVector vlo = FloatVector.broadcast(S, lo); // vector bounds: see WideGemm
        FloatVector vhi = FloatVector.broadcast(S, hi);
        FloatVector start = FloatVector.fromArray(S, init, s);
        for (int p = 0, x = 0; p < count; p++, i += pixelStep, o += outStep) {
            if (x == perRow) { // one flat loop over rows: vectors live across nested loops are boxed
                x = 0;
                i += inSkip;
            }
            x++;
            int i1 = i + rowStride;
            int i2 = i1 + rowStride;
            FloatVector acc = FloatVector.fromArray(S, in, i).fma(f00, start);
            acc = FloatVector.fromArray(S, in, i + c).fma(f01, acc);
            acc = FloatVector.fromArray(S, in, i + 2 * c).fma(f02, acc);
            acc = FloatVector.fromArray(S, in, i1).fma(f10, acc);
            acc = FloatVector.fromArray(S, in, i1 + c).fma(f11, acc);
            acc = FloatVector.fromArray(S, in, i1 + 2 * c).fma(f12, acc);
            acc = FloatVector.fromArray(S, in, i2).fma(f20, acc);
            acc = FloatVector.fromArray(S, in, i2 + c).fma(f21, acc);
            acc = FloatVector.fromArray(S, in, i2 + 2 * c).fma(f22, acc);
            acc.max(vlo).min(vhi).intoArray(out, o);
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
        } else if (n == L / 2 && xHi > xLo && (xHi - xLo) % 2 == 1) {
            xHi--; // 8 columns take rows in pairs: an odd last pixel joins the border pixels' pairs
        }
        convBorderPixels(win, in, packed, bias, n, b, y, xLo, Math.max(xLo, xHi), out, lo, hi);
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
    }

    /**
     * The output pixels of row y outside columns [xLo, xHi), whose windows may hang over the border: their windows
     * (zeros outside, which leave each sum's value) are gathered into rows of a matrix whose product with the
     * filter is copied out. An 8-column product takes its rows in pairs, so an odd count gets a zero row more.
     */
    private static void convBorderPixels(
            SlidingWindow win,
            float[] in,
            float[] packed,
            float[] bias,
            int n,
            int b,
            int y,
            int xLo,
            int xHi,
            float[] out,
            float lo,
            float hi) {
        int count = xLo + win.outW - xHi;
        if (count == 0) {
            return;
        }
        int rows = n == L / 2 ? count + (count & 1) : count;
        int depth = win.filterH * win.filterW * win.channels;
        int results = rows * depth;
        float[] strip = scratch(results + rows * n);
        int r = 0;
        for (int x = 0; x < xLo; x++) {
            win.im2colPixel(in, b, y, x, strip, r++ * depth);
        }
        for (int x = xHi; x < win.outW; x++) {
            win.im2colPixel(in, b, y, x, strip, r++ * depth);
        }
        java.util.Arrays.fill(strip, r * depth, results, 0f);
        WideGemm.packed(strip, 0, depth, rows, packed, depth, 0, depth, bias, false, n, strip, results, lo, hi);
        int o = (b * win.outH + y) * win.outW;
        if (xLo > 0) {
            System.arraycopy(strip, results, out, o * n, xLo * n);
        }
        if (xHi < win.outW) {
            System.arraycopy(strip, results + xLo * n, out, (o + xHi) * n, (win.outW - xHi) * n);
        }
    }
}
