package io.quanta.kernels.int8;

import io.quanta.kernels.fp32.FloatLoops;

/**
 * Integer matrix products on the float loops, exactly: a product of two small integers is exact in a float, and
 * so is a sum of them while every partial sum stays within 2^24. The depth is cut into blocks short enough for
 * that bound (from the largest input and weight magnitudes), each block's float sums are converted to int and
 * the blocks added in int32, as TFLite accumulates. So the SIMD float GEMM (register tiles, packed weights)
 * serves int8 convolutions and fully connected layers bit-exactly.
 */
final class ExactGemm {
    /** Largest integer below which every float sum of integers is exact. */
    static final int EXACT = 1 << 24;

    /**
     * 1.5 * 2^23: a float integer of magnitude below {@link #MAGIC_BOUND} added to it lands in [2^23, 2^24), where
     * the ulp is 1, so the sum is exact and its bits are {@link #MAGIC_BITS} plus the integer. Sums started from it
     * (instead of 0) are their own int values, read from the bits with one subtraction.
     */
    static final float MAGIC = 12582912f;

    static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
    static final int MAGIC_BOUND = 1 << 22;

    /**
     * The largest magnitude a partial sum of one output can reach over int8 inputs (at most 128 in magnitude): 128
     * times the largest sum of |w| of a channel, the weights of channel c being {@code w[c * cs + k * ks]} for k
     * below depth.
     */
    static long sumBound(int[] w, int n, int depth, int cs, int ks) {
        long max = 0;
        for (int c = 0; c < n; c++) {
            long sum = 0;
            for (int k = 0; k < depth; k++) {
                sum += Math.abs(w[c * cs + k * ks]);
            }
            max = Math.max(max, sum);
        }
        return 128 * max;
    }

    private final FloatLoops loops;
    private final int n;
    private final int depth;
    private final int[] blockStart;
    private final float[][] packed;

    /**
     * Weights {@code w[j * depth + k]} for n output channels; inputs will lie within +-{@code maxAbsInput}.
     */
    ExactGemm(int[] w, int n, int depth, int maxAbsInput, FloatLoops loops) {
        this.loops = loops;
        this.n = n;
        this.depth = depth;
        int maxAbsWeight = 1;
        for (int v : w) {
            maxAbsWeight = Math.max(maxAbsWeight, Math.abs(v));
        }
        int block = Math.max(1, EXACT / (Math.max(1, maxAbsInput) * maxAbsWeight));
        int blocks = Math.max(1, (depth + block - 1) / block);
        blockStart = new int[blocks + 1];
        packed = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            int k0 = b * block;
            int k1 = Math.min(depth, k0 + block);
            blockStart[b] = k0;
            float[] depthMajor = new float[(k1 - k0) * n];
            for (int j = 0; j < n; j++) {
                for (int k = k0; k < k1; k++) {
                    depthMajor[(k - k0) * n + j] = w[j * depth + k];
                }
            }
            packed[b] = loops.pack(depthMajor, k1 - k0, n);
        }
        blockStart[blocks] = depth;
    }

    /** The largest magnitude of an int8 value shifted by {@code offset}: the inputs as the kernels feed them. */
    static int maxAbsShifted(int offset) {
        return Math.max(Math.abs(-128 + offset), Math.abs(127 + offset));
    }

    int depth() {
        return depth;
    }

    /** The packed weights when the whole depth is one exact block (for the direct convolution rows), else null. */
    float[] singleBlock() {
        return packed.length == 1 ? packed[0] : null;
    }

    /**
     * {@code acc[accOff + r*n + j] = sum_k a[aOff + r*lda + k] * w[j][k]} for r below rows, exactly, in int32
     * arithmetic; {@code scratch} holds at least rows * n floats.
     */
    void multiply(float[] a, int aOff, int lda, int rows, float[] scratch, int[] acc, int accOff) {
        int count = rows * n;
        for (int b = 0; b < packed.length; b++) {
            int k0 = blockStart[b];
            loops.gemmPacked(
                    a,
                    aOff + k0,
                    lda,
                    rows,
                    blockStart[b + 1] - k0,
                    packed[b],
                    null,
                    n,
                    scratch,
                    0,
                    Float.NEGATIVE_INFINITY,
                    Float.POSITIVE_INFINITY);
            toInts(scratch, 0, count, acc, accOff, b > 0);
        }
    }

    /** {@code acc[accOff + i] = (int) f[fOff + i]}, or {@code +=} when adding, for i below n. */
    static void toInts(float[] f, int fOff, int n, int[] acc, int accOff, boolean add) {
        int i = VectorConvert.USABLE ? VectorConvert.toInts(f, fOff, n, acc, accOff, add) : 0;
        if (add) {
            for (; i < n; i++) {
                acc[accOff + i] += (int) f[fOff + i];
            }
        } else {
            for (; i < n; i++) {
                acc[accOff + i] = (int) f[fOff + i];
            }
        }
    }

    /**
     * {@code acc[p * n + c] = (int) sums[p * stride + c]} for p below pixels and c below n: float sums of rows padded
     * to {@code stride} channels (the tiles' layout) as packed int rows.
     */
    static void toIntRows(float[] sums, int pixels, int n, int stride, int[] acc) {
        toIntRows(sums, pixels, n, stride, acc, false);
    }

    /** {@link #toIntRows}, the sums started from {@link #MAGIC} when {@code magic} (their int values in their bits). */
    static void toIntRows(float[] sums, int pixels, int n, int stride, int[] acc, boolean magic) {
        if (magic) {
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < n; c++) {
                    acc[p * n + c] = Float.floatToRawIntBits(sums[p * stride + c]) - MAGIC_BITS;
                }
            }
            return;
        }
        if (stride == n) {
            toInts(sums, 0, pixels * n, acc, 0, false);
            return;
        }
        for (int p = 0; p < pixels; p++) {
            toInts(sums, p * stride, n, acc, p * n, false);
        }
    }

    /** True when {@link FloatLoops#best()} is the SIMD implementation, so the Vector API may be used. */
    static boolean vectorLoopsChosen() {
        return FloatLoops.best() != FloatLoops.scalar();
    }
}
