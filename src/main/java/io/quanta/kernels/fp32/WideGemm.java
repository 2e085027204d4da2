package io.quanta.kernels.fp32;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of {@link WideFloatLoops}, in 512-bit vectors of 16 floats. Packed weights come in column
 * blocks of 32 (two vectors), then one of 16, then the rest (fewer than 16, done by scalar loops); blocks of 32
 * run tiles of 6 rows (12 independent sums: both FMA pipes busy), 3 rows and 1 row. A matrix of exactly 8 columns
 * (the first layer of small image models) is packed as pairs [w | 0] and [0 | w] per depth step, so one vector
 * holds two consecutive output rows, which are contiguous in the output.
 *
 * <p>C2 in Java 17 boxes vectors (allocating on every call) when a method inlines more vector operations than
 * its budget allows, when vectors cross a non-inlined call or live across nested loops, and when one float
 * vector shape is used beside another in the same process (the shared library code's type profiles then see two
 * classes). So each tile is one method with one loop, stores its raw sums, and the activation clamp is a separate
 * pass over the finished rows.
 */
final class WideGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int L = 16;
    private static final float[] ZEROS = new float[2 * L];

    private WideGemm() {}

    // ---------------------------------------------------------------------------------------------------
    // Packed weights

    /** Width of the column block starting at column j0 of n: 32, then 16, then the rest. */
    static int blockWidth(int j0, int n) {
        int left = n - j0;
        return left >= 2 * L ? 2 * L : left >= L ? L : left;
    }

    /** See the class comment: column blocks, or [w | 0][0 | w] pairs for 8 columns. */
    static float[] pack(float[] depthMajor, int depth, int n) {
        if (n == L / 2) {
            float[] p = new float[depth * 2 * L + L]; // + the starting sums written twice, see packed()
            for (int k = 0; k < depth; k++) {
                System.arraycopy(depthMajor, k * n, p, k * 2 * L, n);
                System.arraycopy(depthMajor, k * n, p, k * 2 * L + L + n, n);
            }
            return p;
        }
        float[] p = new float[depth * n];
        for (int j0 = 0; j0 < n; j0 += blockWidth(j0, n)) {
            int w = blockWidth(j0, n);
            for (int k = 0; k < depth; k++) {
                System.arraycopy(depthMajor, k * n + j0, p, j0 * depth + k * w, w);
            }
        }
        return p;
    }

    /** Where {@link #pack} put element (k, j) of the [depth][n] matrix. */
    static int packedIndex(int k, int j, int depth, int n) {
        if (n == L / 2) {
            return k * 2 * L + j;
        }
        int j0 = j - j % (2 * L);
        if (j0 + 2 * L > n) { // past the full blocks: a block of 16 and the rest
            j0 = n - n % (2 * L);
            if (j >= j0 + blockWidth(j0, n)) {
                j0 += blockWidth(j0, n);
            }
        }
        return j0 * depth + k * blockWidth(j0, n) + (j - j0);
    }

    /**
     * out = clamp(a x rows [kFrom, kFrom + kCount) of the packed weights (depth rows in all) + start), where
     * start is the bias (or zeros), or the output's current values when accumulating. Column blocks are the
     * outer loop, so a block's weights stay in the L1 cache while the rows pass.
     */
    static void packed(
            float[] a,
            int aOff,
            int lda,
            int rows,
            float[] p,
            int depth,
            int kFrom,
            int kCount,
            float[] bias,
            boolean accumulate,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        if (n == L / 2) {
            int s = outOff;
            int step = L;
            if (!accumulate) {
                // the bias twice, after the weights: every call writes the same values, so kernels may share them
                s = depth * 2 * L;
                step = 0;
                for (int h = 0; h < 2; h++) {
                    startRow(bias, n, p, s + h * n);
                }
            }
            pairs(a, aOff, lda, rows, p, kFrom, kCount, accumulate ? out : p, s, step, out, outOff);
            clamp(out, outOff, outOff + rows * n, lo, hi);
            return;
        }
        float[] init = accumulate ? out : bias == null ? ZEROS : bias;
        int rowStep = accumulate ? n : 0;
        int j = 0;
        for (int w; j < n && (w = blockWidth(j, n)) >= L; j += w) {
            int wj = j * depth + kFrom * w;
            int r = 0;
            if (w == 2 * L) {
                for (; !accumulate && r + 6 <= rows; r += 6) {
                    int o = outOff + r * n + j;
                    tile6x2(a, aOff + r * lda, lda, kCount, p, wj, init, start(false, bias, j, o), out, o, n);
                }
                for (; r + 3 <= rows; r += 3) {
                    int o = outOff + r * n + j;
                    tile3x2(
                            a,
                            aOff + r * lda,
                            lda,
                            kCount,
                            p,
                            wj,
                            init,
                            start(accumulate, bias, j, o),
                            rowStep,
                            out,
                            o,
                            n);
                }
                for (; r < rows; r++) {
                    int o = outOff + r * n + j;
                    tile1x2(a, aOff + r * lda, kCount, p, wj, init, start(accumulate, bias, j, o), out, o);
                }
            } else {
                for (; r + 6 <= rows; r += 6) {
                    int o = outOff + r * n + j;
                    tile6x1(
                            a,
                            aOff + r * lda,
                            lda,
                            kCount,
                            p,
                            wj,
                            init,
                            start(accumulate, bias, j, o),
                            rowStep,
                            out,
                            o,
                            n);
                }
                for (; r < rows; r++) {
                    int o = outOff + r * n + j;
                    tile1x1(a, aOff + r * lda, kCount, p, wj, init, start(accumulate, bias, j, o), out, o);
                }
            }
        }
        for (int r = 0; j < n && r < rows; r++) {
            scalarColumns(a, aOff + r * lda, p, depth, kFrom, kCount, bias, accumulate, n, j, out, outOff + r * n);
        }
        clamp(out, outOff, outOff + rows * n, lo, hi);
    }

    /** Offset of a tile's starting sums in the array chosen by packed(): output, bias or zeros. */
    private static int start(boolean accumulate, float[] bias, int j, int o) {
        return accumulate ? o : bias == null ? 0 : j;
    }

    /** Writes the bias (or zeros) into n values at o: the starting sums of an 8-column product. */
    private static void startRow(float[] bias, int n, float[] out, int o) {
        if (bias == null) {
            java.util.Arrays.fill(out, o, o + n, 0f);
        } else {
            System.arraycopy(bias, 0, out, o, n);
        }
    }

    /** Clamps out[from, to) to [lo, hi]; nothing to do without an activation. */
    static void clamp(float[] out, int from, int to, float lo, float hi) {
        if (lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY) {
            return;
        }
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(S, out, i).max(lo).min(hi).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = Math.min(Math.max(out[i], lo), hi);
        }
    }

    /**
     * 6 rows x 32 columns from the bias (or zeros): 12 sums, 2 weight loads and 6 broadcasts per depth step. The
     * rows share their two starting vectors (twelve loads would exceed C2's inlining budget).
     */
    private static void tile6x2(
            float[] a, int a0, int lda, int depth, float[] p, int wj, float[] init, int s, float[] out, int o, int n) {
        FloatVector c00 = FloatVector.fromArray(S, init, s);
        FloatVector c01 = FloatVector.fromArray(S, init, s + L);
        FloatVector c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01, c40 = c00, c41 = c01;
        FloatVector c50 = c00, c51 = c01;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
            FloatVector w1 = FloatVector.fromArray(S, p, wk + L);
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
            x = FloatVector.broadcast(S, a[a4 + k]);
            c40 = w0.fma(x, c40);
            c41 = w1.fma(x, c41);
            x = FloatVector.broadcast(S, a[a5 + k]);
            c50 = w0.fma(x, c50);
            c51 = w1.fma(x, c51);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + L);
        c10.intoArray(out, o + n);
        c11.intoArray(out, o + n + L);
        c20.intoArray(out, o + 2 * n);
        c21.intoArray(out, o + 2 * n + L);
        c30.intoArray(out, o + 3 * n);
        c31.intoArray(out, o + 3 * n + L);
        c40.intoArray(out, o + 4 * n);
        c41.intoArray(out, o + 4 * n + L);
        c50.intoArray(out, o + 5 * n);
        c51.intoArray(out, o + 5 * n + L);
    }

    /** 3 rows x 32 columns (rows left over from the 6-row tiles). */
    private static void tile3x2(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            int rs,
            float[] out,
            int o,
            int n) {
        FloatVector c00 = FloatVector.fromArray(S, init, s);
        FloatVector c01 = FloatVector.fromArray(S, init, s + L);
        FloatVector c10 = FloatVector.fromArray(S, init, s + rs);
        FloatVector c11 = FloatVector.fromArray(S, init, s + rs + L);
        FloatVector c20 = FloatVector.fromArray(S, init, s + 2 * rs);
        FloatVector c21 = FloatVector.fromArray(S, init, s + 2 * rs + L);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
            FloatVector w1 = FloatVector.fromArray(S, p, wk + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c00 = w0.fma(x, c00);
            c01 = w1.fma(x, c01);
            x = FloatVector.broadcast(S, a[a1 + k]);
            c10 = w0.fma(x, c10);
            c11 = w1.fma(x, c11);
            x = FloatVector.broadcast(S, a[a2 + k]);
            c20 = w0.fma(x, c20);
            c21 = w1.fma(x, c21);
        }
        c00.intoArray(out, o);
        c01.intoArray(out, o + L);
        c10.intoArray(out, o + n);
        c11.intoArray(out, o + n + L);
        c20.intoArray(out, o + 2 * n);
        c21.intoArray(out, o + 2 * n + L);
    }

    /** 1 row x 32 columns (a single input row: fully connected on one sample; the last rows). */
    private static void tile1x2(
            float[] a, int a0, int depth, float[] p, int wj, float[] init, int s, float[] out, int o) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector c1 = FloatVector.fromArray(S, init, s + L);
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = FloatVector.fromArray(S, p, wk).fma(x, c0);
            c1 = FloatVector.fromArray(S, p, wk + L).fma(x, c1);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + L);
    }

    /** 6 rows x 16 columns. */
    private static void tile6x1(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            int rs,
            float[] out,
            int o,
            int n) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector c1 = FloatVector.fromArray(S, init, s + rs);
        FloatVector c2 = FloatVector.fromArray(S, init, s + 2 * rs);
        FloatVector c3 = FloatVector.fromArray(S, init, s + 3 * rs);
        FloatVector c4 = FloatVector.fromArray(S, init, s + 4 * rs);
        FloatVector c5 = FloatVector.fromArray(S, init, s + 5 * rs);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + k]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + k]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + k]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + k]), c3);
            c4 = w0.fma(FloatVector.broadcast(S, a[a4 + k]), c4);
            c5 = w0.fma(FloatVector.broadcast(S, a[a5 + k]), c5);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + n);
        c2.intoArray(out, o + 2 * n);
        c3.intoArray(out, o + 3 * n);
        c4.intoArray(out, o + 4 * n);
        c5.intoArray(out, o + 5 * n);
    }

    /** 1 row x 16 columns. */
    private static void tile1x1(
            float[] a, int a0, int depth, float[] p, int wj, float[] init, int s, float[] out, int o) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        c0.intoArray(out, o);
    }

    /**
     * An 8-column product from starting sums in init at s (step apart per pair of rows: the output's own values, or
     * the bias twice with step 0): rows in pairs (one vector holds two consecutive output rows), four pairs per
     * tile; an odd last row is done by scalar loops.
     */
    private static void pairs(
            float[] a,
            int aOff,
            int lda,
            int rows,
            float[] p,
            int kFrom,
            int kCount,
            float[] init,
            int s,
            int step,
            float[] out,
            int outOff) {
        int wk = kFrom * 2 * L;
        int r = 0;
        for (; r + 8 <= rows; r += 8, s += 4 * step) {
            pairs4(a, aOff + r * lda, lda, kCount, p, wk, init, s, step, out, outOff + r * (L / 2));
        }
        for (; r + 2 <= rows; r += 2, s += step) {
            pairs1(a, aOff + r * lda, lda, kCount, p, wk, init, s, out, outOff + r * (L / 2));
        }
        if (r < rows) {
            int a0 = aOff + r * lda;
            int o = outOff + r * (L / 2);
            for (int j = 0; j < L / 2; j++) {
                float acc = init[s + j];
                for (int k = 0; k < kCount; k++) {
                    acc += a[a0 + k] * p[wk + k * 2 * L + j];
                }
                out[o + j] = acc;
            }
        }
    }

    /**
     * 8 rows x 8 columns as four vectors of two rows; the low and high halves sum separately (8 independent
     * chains) and meet at the end.
     */
    private static void pairs4(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            int step,
            float[] out,
            int o) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector c1 = FloatVector.fromArray(S, init, s + step);
        FloatVector c2 = FloatVector.fromArray(S, init, s + 2 * step);
        FloatVector c3 = FloatVector.fromArray(S, init, s + 3 * step);
        FloatVector d0 = FloatVector.zero(S);
        FloatVector d1 = d0, d2 = d0, d3 = d0;
        int l2 = 2 * lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            FloatVector lo = FloatVector.fromArray(S, p, wk);
            FloatVector hi = FloatVector.fromArray(S, p, wk + L);
            int i = a0 + k;
            c0 = lo.fma(FloatVector.broadcast(S, a[i]), c0);
            d0 = hi.fma(FloatVector.broadcast(S, a[i + lda]), d0);
            i += l2;
            c1 = lo.fma(FloatVector.broadcast(S, a[i]), c1);
            d1 = hi.fma(FloatVector.broadcast(S, a[i + lda]), d1);
            i += l2;
            c2 = lo.fma(FloatVector.broadcast(S, a[i]), c2);
            d2 = hi.fma(FloatVector.broadcast(S, a[i + lda]), d2);
            i += l2;
            c3 = lo.fma(FloatVector.broadcast(S, a[i]), c3);
            d3 = hi.fma(FloatVector.broadcast(S, a[i + lda]), d3);
        }
        c0.add(d0).intoArray(out, o);
        c1.add(d1).intoArray(out, o + L);
        c2.add(d2).intoArray(out, o + 2 * L);
        c3.add(d3).intoArray(out, o + 3 * L);
    }

    /** 2 rows x 8 columns as one vector. */
    private static void pairs1(
            float[] a, int a0, int lda, int depth, float[] p, int wj, float[] init, int s, float[] out, int o) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector d0 = FloatVector.zero(S);
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
            d0 = FloatVector.fromArray(S, p, wk + L).fma(FloatVector.broadcast(S, a[a0 + lda + k]), d0);
        }
        c0.add(d0).intoArray(out, o);
    }

    /** Columns [from, n) of one row from the last packed block (width n - from), scalar, unclamped. */
    private static void scalarColumns(
            float[] a,
            int a0,
            float[] p,
            int depth,
            int kFrom,
            int kCount,
            float[] bias,
            boolean accumulate,
            int n,
            int from,
            float[] out,
            int o) {
        int w = n - from;
        for (int q = 0; q < w; q++) {
            int j = from + q;
            float acc = accumulate ? out[o + j] : bias == null ? 0f : bias[j];
            for (int k = 0, wk = from * depth + kFrom * w + q; k < kCount; k++, wk += w) {
                acc += a[a0 + k] * p[wk];
            }
            out[o + j] = acc;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Depth-major weights

    /** {@link FloatLoops#gemm}: weights depth-major [depth][n] (runtime weights, batch matmul). */
    static void strided(
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
        int nv = n - n % L;
        float[] init = bias == null ? ZEROS : bias;
        for (int j = 0; j < nv; j += L) {
            int s = bias == null ? 0 : j;
            int r = 0;
            for (; r + 6 <= rows; r += 6) {
                strided6x1(a, aOff + r * lda, lda, depth, w, wOff + j, n, init, s, out, outOff + r * n + j);
            }
            for (; r < rows; r++) {
                strided1x1(a, aOff + r * lda, depth, w, wOff + j, n, init, s, out, outOff + r * n + j);
            }
        }
        for (int r = 0; nv < n && r < rows; r++) {
            int a0 = aOff + r * lda;
            int o = outOff + r * n;
            for (int j = nv; j < n; j++) {
                float acc = bias == null ? 0f : bias[j];
                for (int k = 0, wk = wOff + j; k < depth; k++, wk += n) {
                    acc += a[a0 + k] * w[wk];
                }
                out[o + j] = acc;
            }
        }
        clamp(out, outOff, outOff + rows * n, lo, hi);
    }

    /** 6 rows x 16 columns, weights with row stride n. */
    private static void strided6x1(
            float[] a, int a0, int lda, int depth, float[] w, int wj, int n, float[] init, int s, float[] out, int o) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        int a4 = a3 + lda;
        int a5 = a4 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            FloatVector w0 = FloatVector.fromArray(S, w, wk);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + k]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + k]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + k]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + k]), c3);
            c4 = w0.fma(FloatVector.broadcast(S, a[a4 + k]), c4);
            c5 = w0.fma(FloatVector.broadcast(S, a[a5 + k]), c5);
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + n);
        c2.intoArray(out, o + 2 * n);
        c3.intoArray(out, o + 3 * n);
        c4.intoArray(out, o + 4 * n);
        c5.intoArray(out, o + 5 * n);
    }

    private static void strided1x1(
            float[] a, int a0, int depth, float[] w, int wj, int n, float[] init, int s, float[] out, int o) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            c0 = FloatVector.fromArray(S, w, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        c0.intoArray(out, o);
    }
}
