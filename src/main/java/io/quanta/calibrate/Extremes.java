package io.quanta.calibrate;

import io.quanta.kernels.VectorSupport;

/**
 * The smallest and largest of a float array, as calibration records them for every activation: a Vector API scan
 * when the incubator module is present (several times faster than a scalar loop), else a scalar one. Both follow
 * Math.min/max: any NaN makes both NaN, an infinity shows as such, so finite results prove every value finite.
 */
abstract class Extremes {
    static final Extremes BEST = select();

    /** Writes {min, max} of data[0..n) (n ≥ 1) into {@code into}. */
    abstract void scan(float[] data, int n, float[] into);

    private static Extremes select() {
        if (!VectorSupport.enabled()) {
            return new Scalar();
        }
        try {
            return (Extremes) Class.forName("io.quanta.calibrate.VectorExtremes")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Scalar();
        }
    }

    /** Comparisons (which skip NaN) plus a NaN flag: faster than Math.min/max, whose NaN and -0 rules cost. */
    static final class Scalar extends Extremes {
        @Override
        void scan(float[] data, int n, float[] into) {
            float lo = data[0];
            float hi = lo;
            boolean nan = false;
            for (int k = 0; k < n; k++) {
                float v = data[k];
                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
                nan |= v != v;
            }
            into[0] = nan ? Float.NaN : lo;
            into[1] = nan ? Float.NaN : hi;
        }
    }
}
