package io.quanta.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SIMD and the scalar scans of calibration's extremes agree, and non-finite values still go unbinned. */
class ExtremesTest {
    private static float[] scan(Extremes e, float[] d, int n) {
        float[] r = new float[2];
        e.scan(d, n, r);
        return r;
    }

    @Test
    void simdAndScalarScansAgreeOnOddLengthsNanAndInfinity() {
        Random rnd = new Random(7);
        Extremes scalar = new Extremes.Scalar();
        for (int n = 1; n < 100; n += 7) {
            float[] d = new float[n];
            for (int k = 0; k < n; k++) d[k] = (float) rnd.nextGaussian() * 10;
            float[] s = scan(scalar, d, n);
            float[] v = scan(Extremes.BEST, d, n);
            assertEquals(s[0], v[0], 0f);
            assertEquals(s[1], v[1], 0f);
            d[n - 1] = Float.POSITIVE_INFINITY;
            assertEquals(Float.POSITIVE_INFINITY, scan(Extremes.BEST, d, n)[1]);
            assertEquals(Float.POSITIVE_INFINITY, scan(scalar, d, n)[1]);
            d[n / 2] = Float.NaN;
            assertTrue(Float.isNaN(scan(Extremes.BEST, d, n)[0]));
            assertTrue(Float.isNaN(scan(scalar, d, n)[0]));
        }
    }

    @Test
    void aHistogramFedNonFiniteValuesBinsOnlyTheFiniteOnes() {
        float[] d = new float[37];
        for (int k = 0; k < d.length; k++) d[k] = k - 10;
        d[5] = Float.NaN;
        d[30] = Float.NEGATIVE_INFINITY;
        for (int bins : new int[] {Histogram.RANGE_ONLY, 64}) {
            Histogram h = new Histogram(bins);
            assertEquals(2, h.add(d, d.length));
            assertEquals(35, h.count());
            assertEquals(-10f, h.min());
            assertEquals(36 - 10f, h.max());
        }
    }
}
