package io.quanta.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ClippingTest {
    /** 100 000 values of |N(0, 1)| plus one outlier at 100: the case clipping methods exist for. */
    static TensorStats heavyTail(boolean signed) {
        TensorStats t = new TensorStats(0, "t", Histogram.DEFAULT_BINS);
        Random r = new Random(7);
        float[] v = new float[100_000];
        for (int k = 0; k < v.length; k++) {
            double g = r.nextGaussian();
            v[k] = (float) (signed ? g : Math.abs(g));
        }
        v[0] = 100f;
        t.add(v, v.length);
        return t;
    }

    @Test
    void minmaxIsTheRangeSeen() {
        TensorStats t = heavyTail(false);
        assertArrayEquals(new float[] {t.min(), t.max()}, Clipping.range(t, CalibrationMethod.MINMAX, 99.99));
    }

    @Test
    void everyClippingMethodCutsTheOutlierAndKeepsTheBulk() {
        for (boolean signed : new boolean[] {false, true}) {
            TensorStats t = heavyTail(signed);
            // (MSE keeps a lone outlier: clipping it costs more squared error than the coarser step does.)
            for (CalibrationMethod m :
                    new CalibrationMethod[] {CalibrationMethod.PERCENTILE, CalibrationMethod.ENTROPY}) {
                float[] r = Clipping.range(t, m, 99.9);
                assertTrue(r[1] < 20 && r[1] > 2.5, m + " signed=" + signed + ": max " + r[1]);
                assertTrue(r[0] >= t.min() && r[0] <= Math.max(0, t.min()), m + ": min " + r[0]);
                if (signed) {
                    assertTrue(r[0] < -2.5, m + ": min " + r[0]);
                }
            }
        }
    }

    @Test
    void mseClipsALongTailWhereRoundingNoiseOutweighsClippingError() {
        TensorStats t = new TensorStats(0, "laplace", Histogram.DEFAULT_BINS);
        Random r = new Random(11);
        float[] v = new float[200_000];
        for (int k = 0; k < v.length; k++) {
            double u = r.nextDouble() - 0.5;
            v[k] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u))); // Laplace(0, 1)
        }
        t.add(v, v.length);
        float[] range = Clipping.range(t, CalibrationMethod.MSE, 99.99);
        assertTrue(range[1] < 0.95 * t.max() && range[1] > 3, "max " + range[1] + " of " + t.max());
        assertTrue(range[0] > 0.95 * t.min() && range[0] < -3, "min " + range[0] + " of " + t.min());
    }

    @Test
    void percentileClipsEachTailAtItsQuantile() {
        TensorStats t = new TensorStats(0, "u", 1024);
        float[] v = new float[1000];
        for (int k = 0; k < v.length; k++) v[k] = k; // 0..999, one per unit bin
        t.add(v, v.length);
        float[] r = Clipping.range(t, CalibrationMethod.PERCENTILE, 99);
        assertEquals(0f, r[0]); // a non-negative tensor keeps its lower end
        assertEquals(991f, r[1], 1f); // the top 1% (10 values) lies above
    }

    @Test
    void klDivergenceIsZeroForEqualDistributionsAndPositiveOtherwise() {
        assertEquals(0, Clipping.klDivergence(new double[] {1, 2, 3}, new double[] {2, 4, 6}, 3), 1e-12);
        assertTrue(Clipping.klDivergence(new double[] {1, 2, 3}, new double[] {3, 2, 1}, 3) > 0);
    }

    @Test
    void magnitudesFoldNegativeBinsOntoPositiveOnes() {
        Histogram h = new Histogram(8);
        h.add(new float[] {-3.5f, -0.5f, 0.5f, 2.5f}, 4);
        Clipping.Magnitudes m = Clipping.magnitudes(h);
        assertEquals(1.0, m.width());
        assertArrayEquals(new long[] {2, 0, 1, 1}, m.counts());
    }

    @Test
    void methodsParseCaseInsensitivelyAndListTheChoicesOtherwise() {
        assertEquals(CalibrationMethod.ENTROPY, CalibrationMethod.parse("Entropy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CalibrationMethod.parse("kl"));
        assertTrue(e.getMessage().contains("minmax, percentile, mse, entropy, auto"));
    }
}
