package io.quanta.kernels.fp32;

import io.quanta.kernels.SlidingWindow;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD {@link FloatLoops} on the incubator Vector API, 8 floats per vector (256 bits: fills AVX2, and on
 * AVX-512 keeps the 8-channel layers of small models fully vectorised). Output channels are the vector
 * lanes; register-blocked tiles keep several output pixels times several vectors of channels in registers
 * across the whole reduction, so each weight vector loaded is used for several pixels. Channel counts that
 * are not a multiple of 8 finish with scalar loops. Loaded only when the module is present (see
 * {@link FloatLoops.Selection}).
 */
final class VectorFloatLoops implements FloatLoops {
    private static final VectorSpecies<Float> S = VectorGemm.S;
    private static final int L = VectorGemm.L;

    private VectorFloatLoops() {}

    /** This implementation, or null when the hardware's vectors hold fewer than 8 floats (slow emulation). */
    static FloatLoops createIfUsable() {
        return FloatVector.SPECIES_PREFERRED.length() >= L && S.length() == L ? new VectorFloatLoops() : null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Matrix product (1x1 convolutions, im2col convolutions, fully connected): see VectorGemm

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
        VectorGemm.strided(a, aOff, lda, rows, depth, w, wOff, bias, n, out, outOff, lo, hi);
    }

    @Override
    public float[] pack(float[] depthMajor, int depth, int n) {
        return VectorGemm.pack(depthMajor, depth, n);
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
        VectorGemm.packed(a, aOff, lda, rows, packed, depth, 0, depth, bias, false, n, out, outOff, lo, hi);
    }

    private static FloatVector biasOrZero(float[] bias, int j) {
        return VectorGemm.biasOrZero(bias, j);
    }

    private static void store(FloatVector v, float lo, float hi, float[] out, int off) {
        VectorGemm.store(v, lo, hi, out, off);
    }

    // ---------------------------------------------------------------------------------------------------
    // Depthwise convolution, multiplier 1: channels are the lanes

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
        for (int x = 0; x < xLo; x++) {
            depthwiseBorderPixel(win, in, filter, bias, b, y, x, out, lo, hi);
        }
        if (win.filterH == 3 && win.filterW == 3 && win.dilationH == 1 && win.dilationW == 1) {
            depthwise3x3Interior(win, in, filter, bias, b, y, xLo, xHi, out, lo, hi);
        } else {
            depthwiseInterior(win, in, filter, bias, b, y, xLo, xHi, out, lo, hi);
        }
        for (int x = Math.max(xHi, xLo); x < win.outW; x++) {
            depthwiseBorderPixel(win, in, filter, bias, b, y, x, out, lo, hi);
        }
    }

    /** Offset of the first input value of output pixel (b, y, x)'s window, which must lie inside the input. */
    static int windowStart(SlidingWindow win, int b, int y, int x) {
        return ((b * win.inH + y * win.strideH - win.padTop) * win.inW + x * win.strideW - win.padLeft) * win.channels;
    }

    /**
     * Output columns [xLo, xHi) of a 3x3 window wholly inside the input: per vector of channels the nine
     * filter vectors stay in registers while the window slides along the row.
     */
    private static void depthwise3x3Interior(
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
            FloatVector f00 = FloatVector.fromArray(S, filter, ch);
            FloatVector f01 = FloatVector.fromArray(S, filter, c + ch);
            FloatVector f02 = FloatVector.fromArray(S, filter, 2 * c + ch);
            FloatVector f10 = FloatVector.fromArray(S, filter, 3 * c + ch);
            FloatVector f11 = FloatVector.fromArray(S, filter, 4 * c + ch);
            FloatVector f12 = FloatVector.fromArray(S, filter, 5 * c + ch);
            FloatVector f20 = FloatVector.fromArray(S, filter, 6 * c + ch);
            FloatVector f21 = FloatVector.fromArray(S, filter, 7 * c + ch);
            FloatVector f22 = FloatVector.fromArray(S, filter, 8 * c + ch);
            FloatVector b0 = biasOrZero(bias, ch);
            int i = in0 + ch;
            int o = out0 + ch;
            for (int x = xLo; x < xHi; x++, i += pixelStep, o += c) {
                int i1 = i + rowStride;
                int i2 = i1 + rowStride;
                FloatVector acc = FloatVector.fromArray(S, in, i).fma(f00, b0);
                acc = FloatVector.fromArray(S, in, i + c).fma(f01, acc);
                acc = FloatVector.fromArray(S, in, i + 2 * c).fma(f02, acc);
                acc = FloatVector.fromArray(S, in, i1).fma(f10, acc);
                acc = FloatVector.fromArray(S, in, i1 + c).fma(f11, acc);
                acc = FloatVector.fromArray(S, in, i1 + 2 * c).fma(f12, acc);
                acc = FloatVector.fromArray(S, in, i2).fma(f20, acc);
                acc = FloatVector.fromArray(S, in, i2 + c).fma(f21, acc);
                acc = FloatVector.fromArray(S, in, i2 + 2 * c).fma(f22, acc);
                store(acc, lo, hi, out, o);
            }
        }
        depthwiseScalarChannels(win, in, filter, bias, b, y, xLo, xHi, cv, out, lo, hi);
    }

    /**
     * Output columns [xLo, xHi) of any window wholly inside the input: one flat loop over the taps (an
     * accumulator carried through nested loops would be boxed by C2).
     */
    private static void depthwiseInterior(
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
                store(acc, lo, hi, out, o + ch);
            }
        }
        depthwiseScalarChannels(win, in, filter, bias, b, y, xLo, xHi, cv, out, lo, hi);
    }

    /** One output pixel whose window may hang over the border: sums in the output, skipping outside taps. */
    private static void depthwiseBorderPixel(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            int x,
            float[] out,
            float lo,
            float hi) {
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
        for (int ch = 0; ch < cv; ch += L) {
            store(FloatVector.fromArray(S, out, o + ch), lo, hi, out, o + ch);
        }
        depthwiseScalarChannels(win, in, filter, bias, b, y, x, x + 1, cv, out, lo, hi);
    }

    /** Channels [from, channels) of output columns [xLo, xHi), scalar. */
    static void depthwiseScalarChannels(
            SlidingWindow win,
            float[] in,
            float[] filter,
            float[] bias,
            int b,
            int y,
            int xLo,
            int xHi,
            int from,
            float[] out,
            float lo,
            float hi) {
        int c = win.channels;
        for (int x = xLo; x < xHi && from < c; x++) {
            int o = ((b * win.outH + y) * win.outW + x) * c;
            for (int ch = from; ch < c; ch++) {
                float acc = bias == null ? 0f : bias[ch];
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
                        acc += in[((b * win.inH + iy) * win.inW + ix) * c + ch]
                                * filter[(ky * win.filterW + kx) * c + ch];
                    }
                }
                out[o + ch] = Math.min(Math.max(acc, lo), hi);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Direct convolution (few input channels), without im2col

    /**
     * For the output columns whose windows lie inside the input horizontally, one filter row ky of the
     * convolution is a matrix product: output pixel x reads filterW * channels contiguous input values starting
     * x * strideW * channels further along input row iy, so the input row itself is the left matrix (row stride
     * strideW * channels) and the filter's ky slice the right one. The filter rows are summed into the output
     * row in turn; rows falling in the padding are skipped. Border columns are done pixel by pixel.
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
        if (xLo < xHi && n == L && win.filterH == 3 && win.rowInside(y)) {
            int c = win.channels;
            VectorGemm.threeRowsOf8(
                    in,
                    windowStart(win, b, y, xLo),
                    win.strideW * c,
                    win.dilationH * win.inW * c,
                    xHi - xLo,
                    win.filterW * c,
                    packed,
                    bias,
                    out,
                    ((b * win.outH + y) * win.outW + xLo) * n,
                    lo,
                    hi);
        } else if (xLo < xHi) {
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
                VectorGemm.packed(
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
        int nv = n - n % L;
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
                        FloatVector.fromArray(S, packed, VectorGemm.packedIndex(k, j, depth, n))
                                .fma(v, FloatVector.fromArray(S, out, o + j))
                                .intoArray(out, o + j);
                    }
                }
            }
        }
        for (int j = 0; j < nv; j += L) {
            store(FloatVector.fromArray(S, out, o + j), lo, hi, out, o + j);
        }
        convScalarColumns(win, in, packed, bias, n, nv, b, y, x, out, lo, hi);
    }

    /** Output channels [from, n) of one output pixel, scalar. */
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
            float[] out,
            float lo,
            float hi) {
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
                        acc += in[i + ci] * packed[VectorGemm.packedIndex(k + ci, j, depth, n)];
                    }
                }
            }
            out[o + j] = Math.min(Math.max(acc, lo), hi);
        }
    }
}
