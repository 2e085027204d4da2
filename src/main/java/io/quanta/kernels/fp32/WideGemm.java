package io.quanta.kernels.fp32;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix products of {@link WideFloatLoops}, in 512-bit vectors of 16 floats. Packed weights come in column
 * blocks of 32 (two vectors), then one of 16, then the rest (fewer than 16, done by scalar loops); blocks of 32
 * run tiles of 6 rows (12 independent sums: both FMA pipes busy), 3 rows and 1 row. A matrix of exactly 8 columns
 * (the first layer of small image models) is packed as [w | w] per depth step, so one vector holds two
 * consecutive output rows, which are contiguous in the output; the two rows' inputs are spread over its halves by a
 * blend of two broadcasts. (A lane shuffle of one load was 20 % faster alone, but once other kernels had run in the
 * process, C2 left rearrange's shared index check to its Java fallback: 4.7 MB allocated per MobileNet inference
 * in its first layer alone, and slower than the blend.)
 *
 * <p>C2 in Java 17 boxes vectors (allocating on every call) when a method inlines more vector operations than
 * its budget allows, when vectors cross a non-inlined call or live across nested loops, and when one float
 * vector shape is used beside another in the same process (the shared library code's type profiles then see two
 * classes). So each tile is one method with one loop; it clamps its sums to the activation's range as it stores
 * them (a separate pass would read and write the whole output again), with the bounds as vectors: a scalar operand
 * is broadcast inside the JDK's shared code, whose profile then sees both shapes, and C2 boxes the result (measured
 * with LayerProfile after an int8 model: 38 MB allocated per vww inference with scalar bounds, 3 MB with vector
 * ones). The sums leave the loop typed only as FloatVector, so max, min and intoArray on them dispatched on that
 * shared profile too: each is cast, inline, to the species' class before and after the clamp (Class.cast with a
 * constant class is an intrinsic; behind a helper method it was not, and boxed again). MobileNet after an int8
 * model: 720 KB allocated and 1.18 ms per inference before, 11 KB (as alone) and 0.92 ms after.
 */
final class WideGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int L = 16;
    private static final Class<? extends Vector<Float>> EXACT = S.vectorType();
    private static final float[] ZEROS = new float[2 * L];
    /** The upper 8 lanes: the second of two rows in one vector of an 8-column product. */
    private static final VectorMask<Float> HIGH = VectorMask.fromLong(S, 0xFF00L);

    private WideGemm() {}

    /**
     * [x x .. x | y y .. y]: two rows' values over the halves of one vector, blended from two broadcast vectors (a
     * scalar blend operand is broadcast in the JDK's shared code, which boxes the result once other shapes ran).
     */
    private static FloatVector pair(float x, float y) {
        return FloatVector.broadcast(S, x).blend(FloatVector.broadcast(S, y), HIGH);
    }

    // ---------------------------------------------------------------------------------------------------
    // Packed weights

    /** Width of the column block starting at column j0 of n: 32, then 16, then the rest. */
    static int blockWidth(int j0, int n) {
        int left = n - j0;
        return left >= 2 * L ? 2 * L : left >= L ? L : left;
    }

    /** See the class comment: column blocks, or [w | w] for 8 columns. */
    static float[] pack(float[] depthMajor, int depth, int n) {
        if (n == L / 2) {
            float[] p = new float[depth * L + L]; // + the starting sums written twice, see packed()
            for (int k = 0; k < depth; k++) {
                System.arraycopy(depthMajor, k * n, p, k * L, n);
                System.arraycopy(depthMajor, k * n, p, k * L + n, n);
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
                s = depth * L;
                step = 0;
                for (int h = 0; h < 2; h++) {
                    startRow(bias, n, p, s + h * n);
                }
            }
            pairs(a, aOff, lda, rows, p, kFrom, kCount, accumulate ? out : p, s, step, out, outOff, lo, hi);
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
                    tile6x2(a, aOff + r * lda, lda, kCount, p, wj, init, start(false, bias, j, o), out, o, n, lo, hi);
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
                            n,
                            lo,
                            hi);
                }
                for (; r < rows; r++) {
                    int o = outOff + r * n + j;
                    tile1x2(a, aOff + r * lda, kCount, p, wj, init, start(accumulate, bias, j, o), out, o, lo, hi);
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
                            n,
                            lo,
                            hi);
                }
                for (; r < rows; r++) {
                    int o = outOff + r * n + j;
                    tile1x1(a, aOff + r * lda, kCount, p, wj, init, start(accumulate, bias, j, o), out, o, lo, hi);
                }
            }
        }
        for (int r = 0; j < n && r < rows; r++) {
            scalarColumns(a, aOff + r * lda, p, depth, kFrom, kCount, bias, accumulate, n, j, out, outOff + r * n);
        }
        clamp(out, outOff, outOff + rows * n, n, j, lo, hi);
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

    /** Clamps columns [from, n) of the rows of n values in out[start, end) (the tiles clamp the others). */
    private static void clamp(float[] out, int start, int end, int n, int from, float lo, float hi) {
        if (from == n || (lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY)) {
            return;
        }
        for (int o = start; o < end; o += n) {
            for (int j = from; j < n; j++) {
                out[o + j] = Math.min(Math.max(out[o + j], lo), hi);
            }
        }
    }

    /** Clamps out[from, to) to [lo, hi]; nothing to do without an activation. */
    static void clamp(float[] out, int from, int to, float lo, float hi) {
        if (lo == Float.NEGATIVE_INFINITY && hi == Float.POSITIVE_INFINITY) {
            return;
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector.fromArray(S, out, i).max(vlo).min(vhi).intoArray(out, i);
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
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            float[] out,
            int o,
            int n,
            float lo,
            float hi) {
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
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c00)).max(vlo).min(vhi))).intoArray(out, o);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c01)).max(vlo).min(vhi))).intoArray(out, o + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c10)).max(vlo).min(vhi))).intoArray(out, o + n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c11)).max(vlo).min(vhi))).intoArray(out, o + n + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c20)).max(vlo).min(vhi))).intoArray(out, o + 2 * n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c21)).max(vlo).min(vhi))).intoArray(out, o + 2 * n + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c30)).max(vlo).min(vhi))).intoArray(out, o + 3 * n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c31)).max(vlo).min(vhi))).intoArray(out, o + 3 * n + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c40)).max(vlo).min(vhi))).intoArray(out, o + 4 * n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c41)).max(vlo).min(vhi))).intoArray(out, o + 4 * n + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c50)).max(vlo).min(vhi))).intoArray(out, o + 5 * n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c51)).max(vlo).min(vhi))).intoArray(out, o + 5 * n + L);
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
            int n,
            float lo,
            float hi) {
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
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c00)).max(vlo).min(vhi))).intoArray(out, o);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c01)).max(vlo).min(vhi))).intoArray(out, o + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c10)).max(vlo).min(vhi))).intoArray(out, o + n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c11)).max(vlo).min(vhi))).intoArray(out, o + n + L);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c20)).max(vlo).min(vhi))).intoArray(out, o + 2 * n);
        ((FloatVector) EXACT.cast(((FloatVector) EXACT.cast(c21)).max(vlo).min(vhi))).intoArray(out, o + 2 * n + L);
    }

    /** 1 row x 32 columns (a single input row: fully connected on one sample; the last rows). */
    private static void tile1x2(
            float[] a,
            int a0,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector c1 = FloatVector.fromArray(S, init, s + L);
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = FloatVector.fromArray(S, p, wk).fma(x, c0);
            c1 = FloatVector.fromArray(S, p, wk + L).fma(x, c1);
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        c0.max(vlo).min(vhi).intoArray(out, o);
        c1.max(vlo).min(vhi).intoArray(out, o + L);
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
            int n,
            float lo,
            float hi) {
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
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        c0.max(vlo).min(vhi).intoArray(out, o);
        c1.max(vlo).min(vhi).intoArray(out, o + n);
        c2.max(vlo).min(vhi).intoArray(out, o + 2 * n);
        c3.max(vlo).min(vhi).intoArray(out, o + 3 * n);
        c4.max(vlo).min(vhi).intoArray(out, o + 4 * n);
        c5.max(vlo).min(vhi).intoArray(out, o + 5 * n);
    }

    /** 1 row x 16 columns. */
    private static void tile1x1(
            float[] a,
            int a0,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        c0.max(vlo).min(vhi).intoArray(out, o);
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
            int outOff,
            float lo,
            float hi) {
        int wk = kFrom * L;
        int r = 0;
        for (; r + 8 <= rows; r += 8, s += 4 * step) {
            pairs4(a, aOff + r * lda, lda, kCount, p, wk, init, s, step, out, outOff + r * (L / 2), lo, hi);
        }
        for (; r + 2 <= rows; r += 2, s += step) {
            pairs1(a, aOff + r * lda, lda, kCount, p, wk, init, s, out, outOff + r * (L / 2), lo, hi);
        }
        if (r < rows) {
            int a0 = aOff + r * lda;
            int o = outOff + r * (L / 2);
            for (int j = 0; j < L / 2; j++) {
                float acc = init[s + j];
                for (int k = 0; k < kCount; k++) {
                    acc += a[a0 + k] * p[wk + k * L + j];
                }
                out[o + j] = Math.min(Math.max(acc, lo), hi);
            }
        }
    }

    /**
     * 8 rows x 8 columns as four vectors of two rows: per depth step each vector's two input values are broadcast
     * into its two halves (a blend), so every lane of the one weight vector [w | w] does useful work.
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
            int o,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        FloatVector c1 = FloatVector.fromArray(S, init, s + step);
        FloatVector c2 = FloatVector.fromArray(S, init, s + 2 * step);
        FloatVector c3 = FloatVector.fromArray(S, init, s + 3 * step);
        int l2 = 2 * lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            FloatVector w = FloatVector.fromArray(S, p, wk);
            int i = a0 + k;
            c0 = w.fma(pair(a[i], a[i + lda]), c0);
            i += l2;
            c1 = w.fma(pair(a[i], a[i + lda]), c1);
            i += l2;
            c2 = w.fma(pair(a[i], a[i + lda]), c2);
            i += l2;
            c3 = w.fma(pair(a[i], a[i + lda]), c3);
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        c0.max(vlo).min(vhi).intoArray(out, o);
        c1.max(vlo).min(vhi).intoArray(out, o + L);
        c2.max(vlo).min(vhi).intoArray(out, o + 2 * L);
        c3.max(vlo).min(vhi).intoArray(out, o + 3 * L);
    }

    /** 2 rows x 8 columns as one vector. */
    private static void pairs1(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s);
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(pair(a[a0 + k], a[a0 + lda + k]), c0);
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        c0.max(vlo).min(vhi).intoArray(out, o);
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
