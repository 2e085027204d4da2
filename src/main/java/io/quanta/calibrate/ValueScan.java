package io.quanta.calibrate;

import io.quanta.kernels.VectorSupport;

/**
 * The two passes calibration makes over every activation: its smallest and largest values, and the bin of each value
 * on a histogram's grid. Vector API versions when the incubator module is present (several times faster), else
 * scalar ones; both give the same results, bit for bit.
 */
abstract class ValueScan {
    static final ValueScan BEST = select();

    /**
     * Values per bin of the zero-bin spread ({@link #bin}): a bin index at or past {@code bins} stands for the bin
     * holding 0. The widest vector has 16 float lanes.
     */
    static final int ZERO_SLOTS = 16;

    /**
     * Writes {min, max} of data[from..to) (to > from) into {@code into}. Follows Math.min/max: any NaN makes both NaN, an
     * infinity shows as such, so finite results prove every value finite.
     */
    abstract void scan(float[] data, int from, int to, float[] into);

    /** {@link #scan(float[], int, int, float[])} of data[0..n). */
    final void scan(float[] data, int n, float[] into) {
        scan(data, 0, n, into);
    }

    /**
     * Adds one to {@code counts[floor(v · 2^-exponent) − offset]} for every v of data[from..to), all finite and within the
     * grid's {@code bins} bins. A count for the bin holding 0 may instead go to one of {@code counts[bins ..
     * bins + ZERO_SLOTS)}, which the caller adds to that bin: ReLU outputs are up to half zeros, and incrementing one
     * counter again and again waits on the previous store each time, so spreading them makes the loop several times
     * faster. {@code counts} has {@code bins + ZERO_SLOTS} entries.
     */
    abstract void bin(float[] data, int from, int to, int exponent, long offset, int bins, int[] counts);

    /** {@link #bin(float[], int, int, int, long, int, int[])} of data[0..n). */
    final void bin(float[] data, int n, int exponent, long offset, int bins, int[] counts) {
        bin(data, 0, n, exponent, offset, bins, counts);
    }

    /** The exact scalar bin index, shared by every path (and the fallback for grids the vector one cannot take). */
    static int index(float v, double scale, long offset) {
        return (int) ((long) Math.floor(v * scale) - offset);
    }

    private static ValueScan select() {
        if (!VectorSupport.enabled()) {
            return new Scalar();
        }
        try {
            return (ValueScan) Class.forName("io.quanta.calibrate.VectorValueScan")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Scalar();
        }
    }

    static class Scalar extends ValueScan {
        /** Comparisons (which skip NaN) plus a NaN flag: faster than Math.min/max, whose NaN and -0 rules cost. */
        @Override
        void scan(float[] data, int from, int to, float[] into) {
            float lo = data[from];
            float hi = lo;
            boolean nan = false;
            for (int k = from; k < to; k++) {
                float v = data[k];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
                nan |= v != v;
            }
            into[0] = nan ? Float.NaN : lo;
            into[1] = nan ? Float.NaN : hi;
        }

        @Override
        void bin(float[] data, int from, int to, int exponent, long offset, int bins, int[] counts) {
            binScalar(data, from, to, exponent, offset, bins, counts);
        }

        /** Bins data[from..n), spreading the zero bin's counts over the slots by position. */
        static void binScalar(float[] data, int from, int n, int exponent, long offset, int bins, int[] counts) {
            double scale = Math.scalb(1.0, -exponent);
            int zero = (int) Math.max(-1, Math.min(bins, -offset)); // the bin holding 0 (out of [0, bins): none)
            for (int k = from; k < n; k++) {
                int j = index(data[k], scale, offset);
                counts[j == zero ? bins + (k & (ZERO_SLOTS - 1)) : j]++;
            }
        }
    }
}
