package io.quanta.kernels.hybrid;

import io.quanta.kernels.FixedPoint;

/**
 * On-the-fly int8 quantization of float activations for hybrid (dynamic-range) kernels, matching
 * TFLite 2.21's portable tensor utils: symmetric uses scale = max|x| / 127 and rounds x * (127 / max|x|)
 * half away from zero into [-127, 127]; asymmetric spans [min(0, lo), max(0, hi)] over 255 steps (scale
 * in double, stored as float), picks the zero point from whichever end has the smaller error, and rounds
 * {@code zp + x / scale} in float into [-128, 127]. An all-zero (or constant-zero-range) slice quantizes to
 * zeros with scale 1 and zero point 0.
 */
final class HybridQuantizer {
    private HybridQuantizer() {}

    /** Quantizes x[off, off+n) into q[qOff...]; returns the scale. */
    static float symmetric(float[] x, int off, int n, int[] q, int qOff) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            float v = x[off + k];
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float range = Math.max(Math.abs(min), Math.abs(max));
        if (range == 0f) {
            java.util.Arrays.fill(q, qOff, qOff + n, 0);
            return 1f;
        }
        float inverse = 127f / range;
        for (int k = 0; k < n; k++) {
            int v = (int) FixedPoint.roundHalfAwayFromZero(x[off + k] * inverse);
            q[qOff + k] = Math.min(127, Math.max(-127, v));
        }
        return range / 127f;
    }

    /**
     * Quantizes x[off, off+n) into q; returns the scale and stores the zero point in
     * {@code zeroPoint[0]}.
     */
    static float asymmetric(float[] x, int off, int n, int[] q, int qOff, int[] zeroPoint) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            float v = x[off + k];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double rmin = Math.min(0.0, lo);
        double rmax = Math.max(0.0, hi);
        if (rmin == rmax) {
            java.util.Arrays.fill(q, qOff, qOff + n, 0);
            zeroPoint[0] = 0;
            return 1f;
        }
        double scale = (rmax - rmin) / 255.0;
        double zeroFromMin = -128.0 - rmin / scale;
        double zeroFromMax = 127.0 - rmax / scale;
        double errorFromMin = 128.0 + Math.abs(rmin / scale);
        double errorFromMax = 127.0 + Math.abs(rmax / scale);
        double zero = errorFromMin < errorFromMax ? zeroFromMin : zeroFromMax;
        int zp = zero <= -128.0 ? -128 : zero >= 127.0 ? 127 : (int) FixedPoint.roundHalfAwayFromZero(zero);
        float scaleF = (float) scale;
        float inverse = (float) (1.0 / scaleF);
        float zpF = zp;
        for (int k = 0; k < n; k++) {
            int v = (int) FixedPoint.roundHalfAwayFromZero(zpF + x[off + k] * inverse);
            q[qOff + k] = Math.min(127, Math.max(-128, v));
        }
        zeroPoint[0] = zp;
        return scaleF;
    }

    /** Int8 weights widened to ints and transposed from [rows][cols] to [cols][rows] for saxpy loops. */
    static int[] packTransposed(byte[] w, int rows, int cols) {
        int[] packed = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                packed[c * rows + r] = w[r * cols + c];
            }
        }
        return packed;
    }

    /** Sum of each row of int8 weights [rows][cols]. */
    static int[] rowSums(byte[] w, int rows, int cols) {
        int[] sums = new int[rows];
        for (int r = 0; r < rows; r++) {
            int s = 0;
            for (int c = 0; c < cols; c++) {
                s += w[r * cols + c];
            }
            sums[r] = s;
        }
        return sums;
    }

    /** Per-channel weight scales, or null when a single scale applies (TFLite's per-tensor hybrid path). */
    static float[] perChannelScales(float[] scales) {
        for (int i = 1; i < scales.length; i++) {
            if (scales[i] != scales[0]) {
                return scales.clone();
            }
        }
        return null;
    }
}
