package io.quanta.kernels.fp32;

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
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = 8;

    private VectorFloatLoops() {}

    /** This implementation, or null when the hardware's vectors hold fewer than 8 floats (slow emulation). */
    static FloatLoops createIfUsable() {
        return FloatVector.SPECIES_PREFERRED.length() >= L && S.length() == L ? new VectorFloatLoops() : null;
    }

    // ---------------------------------------------------------------------------------------------------
    // Matrix product (1x1 convolutions, im2col convolutions, fully connected)

    @Override
    public void gemm(float[] a, int aOff, int lda, int rows, int depth, float[] w, int wOff, float[] bias, int n,
            float[] out, int outOff, float lo, float hi) {
        gemm(a, aOff, lda, rows, depth, w, wOff, bias, false, n, out, outOff, lo, hi);
    }

    /** The product, added to the output's current values when accumulate is set (bias then unused). */
    private static void gemm(float[] a, int aOff, int lda, int rows, int depth, float[] w, int wOff, float[] bias,
            boolean accumulate, int n, float[] out, int outOff, float lo, float hi) {
        float[] init = accumulate ? null : bias;
        int nv = n - n % L;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = aOff + r * lda;
            int o0 = outOff + r * n;
            int j = 0;
            for (; j + 2 * L <= nv; j += 2 * L) {
                tile4x2(a, a0, lda, depth, w, wOff + j, n, init, accumulate, j, out, o0 + j, lo, hi);
            }
            for (; j < nv; j += L) {
                tile4x1(a, a0, lda, depth, w, wOff + j, n, init, accumulate, j, out, o0 + j, lo, hi);
            }
            for (int q = 0; q < 4; q++) {
                scalarColumns(a, a0 + q * lda, depth, w, wOff, init, accumulate, n, nv, out, o0 + q * n, lo, hi);
            }
        }
        for (; r < rows; r++) {
            int a0 = aOff + r * lda;
            int o0 = outOff + r * n;
            int j = 0;
            for (; j + 4 * L <= nv; j += 4 * L) {
                tile1x4(a, a0, depth, w, wOff + j, n, init, accumulate, j, out, o0 + j, lo, hi);
            }
            for (; j < nv; j += L) {
                tile1x1(a, a0, depth, w, wOff + j, n, init, accumulate, j, out, o0 + j, lo, hi);
            }
            scalarColumns(a, a0, depth, w, wOff, init, accumulate, n, nv, out, o0, lo, hi);
        }
    }

    /**
     * Starting sums are always loaded from an array chosen by scalar logic (output, bias or zeros), never
     * picked between vectors: C2 in Java 17 boxes a vector whose value merges from two branches.
     */
    private static final float[] ZEROS = new float[L];

    private static FloatVector biasOrZero(float[] bias, int j) {
        return FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : j);
    }

    /** Where a tile's starting sums come from: the output when accumulating, else the bias, else zeros. */
    private static float[] startArray(float[] bias, boolean accumulate, float[] out) {
        return accumulate ? out : bias == null ? ZEROS : bias;
    }

    /** Offset of the starting sums of the tile row at output offset o, column j (see startArray). */
    private static int startOffset(float[] bias, boolean accumulate, int j, int o) {
        return accumulate ? o : bias == null ? 0 : j;
    }

    /** Distance between the starting sums of neighbouring column vectors (0 for the zeros). */
    private static int startStep(float[] bias, boolean accumulate) {
        return accumulate || bias != null ? L : 0;
    }

    private static void store(FloatVector v, float lo, float hi, float[] out, int off) {
        v.max(lo).min(hi).intoArray(out, off);
    }

    /** 4 rows x 16 columns. */
    private static void tile4x2(float[] a, int a0, int lda, int depth, float[] w, int wj, int n, float[] bias,
            boolean accumulate, int j, float[] out, int o, float lo, float hi) {
        float[] init = startArray(bias, accumulate, out);
        int s0 = startOffset(bias, accumulate, j, o);
        int step = startStep(bias, accumulate);
        int row = accumulate ? n : 0;
        FloatVector c00 = FloatVector.fromArray(S, init, s0);
        FloatVector c01 = FloatVector.fromArray(S, init, s0 + step);
        FloatVector c10 = FloatVector.fromArray(S, init, s0 + row);
        FloatVector c11 = FloatVector.fromArray(S, init, s0 + row + step);
        FloatVector c20 = FloatVector.fromArray(S, init, s0 + 2 * row);
        FloatVector c21 = FloatVector.fromArray(S, init, s0 + 2 * row + step);
        FloatVector c30 = FloatVector.fromArray(S, init, s0 + 3 * row);
        FloatVector c31 = FloatVector.fromArray(S, init, s0 + 3 * row + step);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            FloatVector w0 = FloatVector.fromArray(S, w, wk);
            FloatVector w1 = FloatVector.fromArray(S, w, wk + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + k]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
            x = FloatVector.broadcast(S, a[a3 + k]);
            c30 = w0.fma(x, c30);
            c31 = w1.fma(x, c31);
        }
        store(c00, lo, hi, out, o);
        store(c01, lo, hi, out, o + L);
        o += n;
        store(c10, lo, hi, out, o);
        store(c11, lo, hi, out, o + L);
        o += n;
        store(c20, lo, hi, out, o);
        store(c21, lo, hi, out, o + L);
        o += n;
        store(c30, lo, hi, out, o);
        store(c31, lo, hi, out, o + L);
    }

    /** 4 rows x 8 columns. */
    private static void tile4x1(float[] a, int a0, int lda, int depth, float[] w, int wj, int n, float[] bias,
            boolean accumulate, int j, float[] out, int o, float lo, float hi) {
        float[] init = startArray(bias, accumulate, out);
        int s0 = startOffset(bias, accumulate, j, o);
        int row = accumulate ? n : 0;
        FloatVector c0 = FloatVector.fromArray(S, init, s0);
        FloatVector c1 = FloatVector.fromArray(S, init, s0 + row);
        FloatVector c2 = FloatVector.fromArray(S, init, s0 + 2 * row);
        FloatVector c3 = FloatVector.fromArray(S, init, s0 + 3 * row);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            FloatVector w0 = FloatVector.fromArray(S, w, wk);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + k]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + k]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + k]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + k]), c3);
        }
        store(c0, lo, hi, out, o);
        store(c1, lo, hi, out, o + n);
        store(c2, lo, hi, out, o + 2 * n);
        store(c3, lo, hi, out, o + 3 * n);
    }

    /** 1 row x 32 columns (a single input row: fully connected on one sample). */
    private static void tile1x4(float[] a, int a0, int depth, float[] w, int wj, int n, float[] bias,
            boolean accumulate, int j, float[] out, int o, float lo, float hi) {
        float[] init = startArray(bias, accumulate, out);
        int s0 = startOffset(bias, accumulate, j, o);
        int step = startStep(bias, accumulate);
        FloatVector c0 = FloatVector.fromArray(S, init, s0);
        FloatVector c1 = FloatVector.fromArray(S, init, s0 + step);
        FloatVector c2 = FloatVector.fromArray(S, init, s0 + 2 * step);
        FloatVector c3 = FloatVector.fromArray(S, init, s0 + 3 * step);
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = FloatVector.fromArray(S, w, wk).fma(x, c0);
            c1 = FloatVector.fromArray(S, w, wk + L).fma(x, c1);
            c2 = FloatVector.fromArray(S, w, wk + 2 * L).fma(x, c2);
            c3 = FloatVector.fromArray(S, w, wk + 3 * L).fma(x, c3);
        }
        store(c0, lo, hi, out, o);
        store(c1, lo, hi, out, o + L);
        store(c2, lo, hi, out, o + 2 * L);
        store(c3, lo, hi, out, o + 3 * L);
    }

    private static void tile1x1(float[] a, int a0, int depth, float[] w, int wj, int n, float[] bias,
            boolean accumulate, int j, float[] out, int o, float lo, float hi) {
        FloatVector c0 = FloatVector.fromArray(S, startArray(bias, accumulate, out),
                startOffset(bias, accumulate, j, o));
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            c0 = FloatVector.fromArray(S, w, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        store(c0, lo, hi, out, o);
    }

    /** Columns [from, n) of one row, scalar: the part of n that does not fill a vector. */
    private static void scalarColumns(float[] a, int a0, int depth, float[] w, int wOff, float[] bias,
            boolean accumulate, int n, int from, float[] out, int o, float lo, float hi) {
        for (int j = from; j < n; j++) {
            float acc = accumulate ? out[o + j] : bias == null ? 0f : bias[j];
            for (int k = 0, wk = wOff + j; k < depth; k++, wk += n) {
                acc += a[a0 + k] * w[wk];
            }
            out[o + j] = Math.min(Math.max(acc, lo), hi);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Depthwise convolution, multiplier 1: channels are the lanes

    @Override
    public void depthwiseRow(SlidingWindow win, float[] in, float[] filter, float[] bias, int b, int y,
            float[] out, float lo, float hi) {
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
    private static int windowStart(SlidingWindow win, int b, int y, int x) {
        return ((b * win.inH + y * win.strideH - win.padTop) * win.inW + x * win.strideW - win.padLeft)
                * win.channels;
    }

    /**
     * Output columns [xLo, xHi) of a 3x3 window wholly inside the input: per vector of channels the nine
     * filter vectors stay in registers while the window slides along the row.
     */
    private static void depthwise3x3Interior(SlidingWindow win, float[] in, float[] filter, float[] bias, int b,
            int y, int xLo, int xHi, float[] out, float lo, float hi) {
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
    private static void depthwiseInterior(SlidingWindow win, float[] in, float[] filter, float[] bias, int b,
            int y, int xLo, int xHi, float[] out, float lo, float hi) {
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
    private static void depthwiseBorderPixel(SlidingWindow win, float[] in, float[] filter, float[] bias, int b,
            int y, int x, float[] out, float lo, float hi) {
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
                    FloatVector.fromArray(S, in, i + ch).fma(FloatVector.fromArray(S, filter, f + ch),
                            FloatVector.fromArray(S, out, o + ch)).intoArray(out, o + ch);
                }
            }
        }
        for (int ch = 0; ch < cv; ch += L) {
            store(FloatVector.fromArray(S, out, o + ch), lo, hi, out, o + ch);
        }
        depthwiseScalarChannels(win, in, filter, bias, b, y, x, x + 1, cv, out, lo, hi);
    }

    /** Channels [from, channels) of output columns [xLo, xHi), scalar. */
    private static void depthwiseScalarChannels(SlidingWindow win, float[] in, float[] filter, float[] bias,
            int b, int y, int xLo, int xHi, int from, float[] out, float lo, float hi) {
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
    public void convRow(SlidingWindow win, float[] in, float[] packed, float[] bias, int n, int b, int y,
            float[] out, float lo, float hi) {
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
                gemm(in, a, win.strideW * c, xHi - xLo, rowLen, packed, ky * rowLen * n, bias, accumulate, n, out, o,
                        last ? lo : Float.NEGATIVE_INFINITY, last ? hi : Float.POSITIVE_INFINITY);
                accumulate = true;
            }
        }
        for (int x = Math.max(xLo, xHi); x < win.outW; x++) {
            convBorderPixel(win, in, packed, bias, n, b, y, x, out, lo, hi);
        }
    }

    /** One output pixel whose window may hang over the border: sums in the output, skipping outside taps. */
    private static void convBorderPixel(SlidingWindow win, float[] in, float[] packed, float[] bias, int n, int b,
            int y, int x, float[] out, float lo, float hi) {
        int c = win.channels;
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
                    int f = ((ky * win.filterW + kx) * c + ci) * n;
                    for (int j = 0; j < nv; j += L) {
                        FloatVector.fromArray(S, packed, f + j).fma(v, FloatVector.fromArray(S, out, o + j))
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
    private static void convScalarColumns(SlidingWindow win, float[] in, float[] packed, float[] bias, int n,
            int from, int b, int y, int x, float[] out, float lo, float hi) {
        int c = win.channels;
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
                    int f = ((ky * win.filterW + kx) * c) * n + j;
                    for (int ci = 0; ci < c; ci++) {
                        acc += in[i + ci] * packed[f + ci * n];
                    }
                }
            }
            out[o + j] = Math.min(Math.max(acc, lo), hi);
        }
    }
}
