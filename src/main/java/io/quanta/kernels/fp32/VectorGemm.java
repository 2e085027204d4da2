package io.quanta.kernels.fp32;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matrix product of {@link VectorFloatLoops}: register-blocked tiles of 4 rows x 2 vectors (16 output
 * channels), 4 rows x 1 vector, and single rows for the leftovers, with channel counts that are not a multiple
 * of 8 finished by scalar loops. Constant weights are packed once into column panels ({@link #pack}) so a tile
 * streams its weights contiguously with a constant stride; weights that change per call (batch matmul, runtime
 * fully connected) are read depth-major with stride n.
 *
 * <p>Vectors never cross a non-inlined call, merge from two branches, or live across nested loops (C2 in
 * Java 17 boxes them then, allocating on every call): starting sums are loaded from an array picked by scalar
 * logic, and a tile's sums run through one loop, or a few consecutive ones.
 */
final class VectorGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int L = 8;
    private static final float[] ZEROS = new float[L];

    private VectorGemm() {}

    static FloatVector biasOrZero(float[] bias, int j) {
        return FloatVector.fromArray(S, bias == null ? ZEROS : bias, bias == null ? 0 : j);
    }

    /** Stores v clamped to [lo, hi], the bounds as vectors (see {@link WideGemm}'s class comment). */
    static void store(FloatVector v, float lo, float hi, float[] out, int off) {
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        v.max(vlo).min(vhi).intoArray(out, off);
    }

    // ---------------------------------------------------------------------------------------------------
    // Packed weights

    /** Width of the column block starting at column j0 of n: 16, then 8, then what is left. */
    private static int blockWidth(int j0, int n) {
        int left = n - j0;
        return left >= 2 * L ? 2 * L : left >= L ? L : left;
    }

    /**
     * Packs depth-major [depth][n] weights into column blocks of 16 (then one of 8, then the rest): the block
     * starting at column j0 of width w holds element (k, q) at {@code j0 * depth + k * w + q}.
     */
    static float[] pack(float[] depthMajor, int depth, int n) {
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
        int n16 = n - n % (2 * L);
        int nv = n - n % L;
        int j0 = j < n16 ? j - j % (2 * L) : j < nv ? n16 : nv;
        return j0 * depth + k * blockWidth(j0, n) + (j - j0);
    }

    /**
     * out = clamp(a x rows [kFrom, kFrom + kCount) of the packed weights (depth rows in all) + start), where
     * start is the bias (or zeros), or the output's current values when accumulating.
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
        float[] init = accumulate ? out : bias == null ? ZEROS : bias;
        int n16 = n - n % (2 * L);
        int nv = n - n % L;
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = aOff + r * lda;
            int o0 = outOff + r * n;
            if (accumulate) {
                for (int j = 0; j < n16; j += 2 * L) {
                    packed4x2Accumulate(a, a0, lda, kCount, p, j * depth + kFrom * 2 * L, out, o0 + j, n, lo, hi);
                }
            } else {
                for (int j = 0; j < n16; j += 2 * L) {
                    packed4x2Bias(
                            a,
                            a0,
                            lda,
                            kCount,
                            p,
                            j * depth + kFrom * 2 * L,
                            init,
                            bias == null ? 0 : j,
                            bias == null ? 0 : L,
                            out,
                            o0 + j,
                            n,
                            lo,
                            hi);
                }
            }
            if (n16 < nv) {
                packed4x1(
                        a,
                        a0,
                        lda,
                        kCount,
                        p,
                        n16 * depth + kFrom * L,
                        init,
                        startOffset(accumulate, bias, n16, o0 + n16),
                        accumulate ? n : 0,
                        out,
                        o0 + n16,
                        n,
                        lo,
                        hi);
            }
            if (nv < n) {
                for (int q = 0; q < 4; q++) {
                    packedScalarColumns(
                            a, a0 + q * lda, p, depth, kFrom, kCount, bias, accumulate, n, nv, out, o0 + q * n, lo, hi);
                }
            }
        }
        for (; r < rows; r++) {
            int a0 = aOff + r * lda;
            int o0 = outOff + r * n;
            for (int j = 0; j < n16; j += 2 * L) {
                packed1x2(
                        a,
                        a0,
                        kCount,
                        p,
                        j * depth + kFrom * 2 * L,
                        init,
                        startOffset(accumulate, bias, j, o0 + j),
                        startStep(accumulate, bias),
                        out,
                        o0 + j,
                        lo,
                        hi);
            }
            if (n16 < nv) {
                packed1x1(
                        a,
                        a0,
                        kCount,
                        p,
                        n16 * depth + kFrom * L,
                        init,
                        startOffset(accumulate, bias, n16, o0 + n16),
                        out,
                        o0 + n16,
                        lo,
                        hi);
            }
            packedScalarColumns(a, a0, p, depth, kFrom, kCount, bias, accumulate, n, nv, out, o0, lo, hi);
        }
    }

    /**
     * A direct convolution's output row where all three filter rows lie inside the input and there are 8
     * output channels: each tile sums the three filter rows in three consecutive loops (one pass, no
     * re-reading of the output). {@code rowStride} is the distance between the input rows; weights packed
     * as one 8-wide block.
     */
    static void threeRowsOf8(
            float[] a,
            int aOff,
            int lda,
            int rowStride,
            int rows,
            int rowLen,
            float[] p,
            float[] bias,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            threeRows4x1(a, aOff + r * lda, lda, rowStride, rowLen, p, bias, out, outOff + r * L, lo, hi);
        }
        for (; r < rows; r++) {
            threeRows1x1(a, aOff + r * lda, rowStride, rowLen, p, bias, out, outOff + r * L, lo, hi);
        }
    }

    private static void threeRows4x1(
            float[] a,
            int a0,
            int lda,
            int rowStride,
            int rowLen,
            float[] p,
            float[] bias,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = biasOrZero(bias, 0);
        FloatVector c1 = c0, c2 = c0, c3 = c0;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int k = 0, wk = 0; k < rowLen; k++, wk += L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + k]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + k]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + k]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + k]), c3);
        }
        int s = rowStride;
        for (int k = 0, wk = rowLen * L; k < rowLen; k++, wk += L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + s + k]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + s + k]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + s + k]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + s + k]), c3);
        }
        s += rowStride;
        for (int k = 0, wk = 2 * rowLen * L; k < rowLen; k++, wk += L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
            c0 = w0.fma(FloatVector.broadcast(S, a[a0 + s + k]), c0);
            c1 = w0.fma(FloatVector.broadcast(S, a[a1 + s + k]), c1);
            c2 = w0.fma(FloatVector.broadcast(S, a[a2 + s + k]), c2);
            c3 = w0.fma(FloatVector.broadcast(S, a[a3 + s + k]), c3);
        }
        store(c0, lo, hi, out, o);
        store(c1, lo, hi, out, o + L);
        store(c2, lo, hi, out, o + 2 * L);
        store(c3, lo, hi, out, o + 3 * L);
    }

    private static void threeRows1x1(
            float[] a,
            int a0,
            int rowStride,
            int rowLen,
            float[] p,
            float[] bias,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = biasOrZero(bias, 0);
        for (int k = 0, wk = 0; k < rowLen; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        int s = rowStride;
        for (int k = 0, wk = rowLen * L; k < rowLen; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + s + k]), c0);
        }
        s += rowStride;
        for (int k = 0, wk = 2 * rowLen * L; k < rowLen; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + s + k]), c0);
        }
        store(c0, lo, hi, out, o);
    }

    /** Offset of a tile's starting sums in the array chosen by packed(): output, bias or zeros. */
    private static int startOffset(boolean accumulate, float[] bias, int j, int o) {
        return accumulate ? o : bias == null ? 0 : j;
    }

    /** Distance between the starting sums of neighbouring column vectors (0 in the zeros). */
    private static int startStep(boolean accumulate, float[] bias) {
        return accumulate || bias != null ? L : 0;
    }

    /** 4 rows x 16 columns added to the output's values (a direct convolution's later filter rows). */
    private static void packed4x2Accumulate(
            float[] a, int a0, int lda, int depth, float[] p, int wj, float[] out, int o, int n, float lo, float hi) {
        FloatVector c00 = FloatVector.fromArray(S, out, o);
        FloatVector c01 = FloatVector.fromArray(S, out, o + L);
        FloatVector c10 = FloatVector.fromArray(S, out, o + n);
        FloatVector c11 = FloatVector.fromArray(S, out, o + n + L);
        FloatVector c20 = FloatVector.fromArray(S, out, o + 2 * n);
        FloatVector c21 = FloatVector.fromArray(S, out, o + 2 * n + L);
        FloatVector c30 = FloatVector.fromArray(S, out, o + 3 * n);
        FloatVector c31 = FloatVector.fromArray(S, out, o + 3 * n + L);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
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

    /**
     * 4 rows x 16 columns starting from the bias (or zeros): 8 sums, 2 weight loads and 4 broadcasts per depth
     * step. The rows share two starting vectors (loading eight separately measured ~20% slower).
     */
    private static void packed4x2Bias(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] bias,
            int j,
            int step,
            float[] out,
            int o,
            int n,
            float lo,
            float hi) {
        FloatVector c00 = FloatVector.fromArray(S, bias, j);
        FloatVector c01 = FloatVector.fromArray(S, bias, j + step);
        FloatVector c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
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
    private static void packed4x1(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s0,
            int row,
            float[] out,
            int o,
            int n,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s0);
        FloatVector c1 = FloatVector.fromArray(S, init, s0 + row);
        FloatVector c2 = FloatVector.fromArray(S, init, s0 + 2 * row);
        FloatVector c3 = FloatVector.fromArray(S, init, s0 + 3 * row);
        int a1 = a0 + lda;
        int a2 = a1 + lda;
        int a3 = a2 + lda;
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            FloatVector w0 = FloatVector.fromArray(S, p, wk);
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

    /** 1 row x 16 columns (a single input row: fully connected on one sample, leftover rows). */
    private static void packed1x2(
            float[] a,
            int a0,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s0,
            int step,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s0);
        FloatVector c1 = FloatVector.fromArray(S, init, s0 + step);
        for (int k = 0, wk = wj; k < depth; k++, wk += 2 * L) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + k]);
            c0 = FloatVector.fromArray(S, p, wk).fma(x, c0);
            c1 = FloatVector.fromArray(S, p, wk + L).fma(x, c1);
        }
        store(c0, lo, hi, out, o);
        store(c1, lo, hi, out, o + L);
    }

    /** 1 row x 8 columns. */
    private static void packed1x1(
            float[] a,
            int a0,
            int depth,
            float[] p,
            int wj,
            float[] init,
            int s0,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = FloatVector.fromArray(S, init, s0);
        for (int k = 0, wk = wj; k < depth; k++, wk += L) {
            c0 = FloatVector.fromArray(S, p, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        store(c0, lo, hi, out, o);
    }

    /** Columns [from, n) of one row from the last packed block (width n - from), scalar. */
    private static void packedScalarColumns(
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
            int o,
            float lo,
            float hi) {
        int w = n - from;
        for (int q = 0; q < w; q++) {
            int j = from + q;
            float acc = accumulate ? out[o + j] : bias == null ? 0f : bias[j];
            for (int k = 0, wk = from * depth + kFrom * w + q; k < kCount; k++, wk += w) {
                acc += a[a0 + k] * p[wk];
            }
            out[o + j] = Math.min(Math.max(acc, lo), hi);
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
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = aOff + r * lda;
            int o0 = outOff + r * n;
            int j = 0;
            for (; j + 2 * L <= nv; j += 2 * L) {
                strided4x2(a, a0, lda, depth, w, wOff + j, n, bias, j, out, o0 + j, lo, hi);
            }
            for (; j < nv; j += L) {
                strided4x1(a, a0, lda, depth, w, wOff + j, n, bias, j, out, o0 + j, lo, hi);
            }
            if (nv < n) {
                for (int q = 0; q < 4; q++) {
                    scalarColumns(a, a0 + q * lda, depth, w, wOff, bias, n, nv, out, o0 + q * n, lo, hi);
                }
            }
        }
        for (; r < rows; r++) {
            int a0 = aOff + r * lda;
            int o0 = outOff + r * n;
            int j = 0;
            for (; j + 4 * L <= nv; j += 4 * L) {
                strided1x4(a, a0, depth, w, wOff + j, n, bias, j, out, o0 + j, lo, hi);
            }
            for (; j < nv; j += L) {
                strided1x1(a, a0, depth, w, wOff + j, n, bias, j, out, o0 + j, lo, hi);
            }
            scalarColumns(a, a0, depth, w, wOff, bias, n, nv, out, o0, lo, hi);
        }
    }

    /** 4 rows x 16 columns. */
    private static void strided4x2(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] w,
            int wj,
            int n,
            float[] bias,
            int j,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c00 = biasOrZero(bias, j);
        FloatVector c01 = biasOrZero(bias, j + L);
        FloatVector c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
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
    private static void strided4x1(
            float[] a,
            int a0,
            int lda,
            int depth,
            float[] w,
            int wj,
            int n,
            float[] bias,
            int j,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = biasOrZero(bias, j);
        FloatVector c1 = c0, c2 = c0, c3 = c0;
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
    private static void strided1x4(
            float[] a,
            int a0,
            int depth,
            float[] w,
            int wj,
            int n,
            float[] bias,
            int j,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = biasOrZero(bias, j);
        FloatVector c1 = biasOrZero(bias, j + L);
        FloatVector c2 = biasOrZero(bias, j + 2 * L);
        FloatVector c3 = biasOrZero(bias, j + 3 * L);
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

    private static void strided1x1(
            float[] a,
            int a0,
            int depth,
            float[] w,
            int wj,
            int n,
            float[] bias,
            int j,
            float[] out,
            int o,
            float lo,
            float hi) {
        FloatVector c0 = biasOrZero(bias, j);
        for (int k = 0, wk = wj; k < depth; k++, wk += n) {
            c0 = FloatVector.fromArray(S, w, wk).fma(FloatVector.broadcast(S, a[a0 + k]), c0);
        }
        store(c0, lo, hi, out, o);
    }

    /** Columns [from, n) of one row, scalar: the part of n that does not fill a vector. */
    private static void scalarColumns(
            float[] a,
            int a0,
            int depth,
            float[] w,
            int wOff,
            float[] bias,
            int n,
            int from,
            float[] out,
            int o,
            float lo,
            float hi) {
        for (int j = from; j < n; j++) {
            float acc = bias == null ? 0f : bias[j];
            for (int k = 0, wk = wOff + j; k < depth; k++, wk += n) {
                acc += a[a0 + k] * w[wk];
            }
            out[o + j] = Math.min(Math.max(acc, lo), hi);
        }
    }
}
