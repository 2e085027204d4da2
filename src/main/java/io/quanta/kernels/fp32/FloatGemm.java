package io.quanta.kernels.fp32;

/**
 * The one matrix multiply behind CONV_2D, FULLY_CONNECTED, TRANSPOSE_CONV and BATCH_MATMUL:
 * {@code out[r][j] = clamp(bias[j] + sum_k a[r][k] * w[k][j])} with the weights packed depth-major
 * ([depth][n], output columns contiguous), computed by {@link FloatLoops#gemm} (SIMD when available).
 */
final class FloatGemm {
    private FloatGemm() {}

    /**
     * @param a      left matrix, row r starting at {@code aOff + r * lda}
     * @param w      right matrix packed [depth][n], starting at wOff
     * @param bias   n values added to every row, or null
     * @param out    result rows of n floats starting at {@code outOff}, overwritten
     */
    static void multiply(
            float[] a,
            int aOff,
            int lda,
            int rows,
            int depth,
            float[] w,
            float[] bias,
            int n,
            float[] out,
            int outOff,
            float lo,
            float hi) {
        multiply(a, aOff, lda, rows, depth, w, 0, bias, n, out, outOff, lo, hi);
    }

    static void multiply(
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
        FloatLoops.fastest().gemm(a, aOff, lda, rows, depth, w, wOff, bias, n, out, outOff, lo, hi);
    }

    /** Transposes a row-major [rows][cols] matrix into [cols][rows] (weight packing). */
    static void transpose(float[] src, int srcOff, int rows, int cols, float[] dst, int dstOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[dstOff + c * rows + r] = src[srcOff + r * cols + c];
            }
        }
    }
}
