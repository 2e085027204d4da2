package io.quanta.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.kernels.VectorSupport;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SIMD and the scalar scans of calibration agree (extremes and bins), and non-finite values still go unbinned. */
class ValueScanTest {
    private static float[] scan(ValueScan e, float[] d, int n) {
        float[] r = new float[2];
        e.scan(d, n, r);
        return r;
    }

    @Test
    void theSimdScanIsTheOneInUseWhenTheVectorModuleIsThere() {
        // Otherwise the comparisons below would compare the scalar scan with itself.
        assertEquals(
                VectorSupport.enabled() ? "VectorValueScan" : "Scalar",
                ValueScan.BEST.getClass().getSimpleName());
    }

    @Test
    void simdAndScalarScansAgreeOnOddLengthsNanAndInfinity() {
        Random rnd = new Random(7);
        ValueScan scalar = new ValueScan.Scalar();
        for (int n = 1; n < 100; n += 7) {
            float[] d = new float[n];
            for (int k = 0; k < n; k++) d[k] = (float) rnd.nextGaussian() * 10;
            float[] s = scan(scalar, d, n);
            float[] v = scan(ValueScan.BEST, d, n);
            assertEquals(s[0], v[0], 0f);
            assertEquals(s[1], v[1], 0f);
            d[n - 1] = Float.POSITIVE_INFINITY;
            assertEquals(Float.POSITIVE_INFINITY, scan(ValueScan.BEST, d, n)[1]);
            assertEquals(Float.POSITIVE_INFINITY, scan(scalar, d, n)[1]);
            d[n / 2] = Float.NaN;
            assertTrue(Float.isNaN(scan(ValueScan.BEST, d, n)[0]));
            assertTrue(Float.isNaN(scan(scalar, d, n)[0]));
        }
    }

    /**
     * The SIMD binning's magic-number floor gives the exact index of the double floor for every value on every grid:
     * values on bin edges and just below them, -0, subnormals of either sign, grids of bins from 2^-64 to 2^3 wide
     * and grids far from 0 (which take the scalar loop), over lengths that leave a tail.
     */
    @Test
    void simdAndScalarBinningGiveTheExactIndexOfEveryValue() {
        Random rnd = new Random(11);
        int bins = 64;
        for (int trial = 0; trial < 3000; trial++) {
            int exponent = -64 + rnd.nextInt(68);
            double w = Math.scalb(1.0, exponent);
            long offset = switch (trial % 4) {
                case 0 -> -rnd.nextInt(bins + 1); // around 0
                case 1 -> rnd.nextInt(1 << 23) - (1 << 22); // either side of the vector limit
                case 2 -> (1L << 22) - bins - rnd.nextInt(3); // at the limit
                default -> -rnd.nextInt(5) * (long) bins / 4;
            };
            int n = 1 + rnd.nextInt(300);
            float[] d = new float[n];
            for (int k = 0; k < n; k++) {
                // a value in the grid's range: a bin edge, the float just below the next edge, zero, or random
                long j = offset + rnd.nextInt(bins);
                float edge = (float) ((double) j * w);
                float v = switch (rnd.nextInt(6)) {
                    case 0 -> edge;
                    case 1 -> Math.nextDown((float) ((double) (j + 1) * w));
                    case 2 -> 0f;
                    case 3 -> -0f;
                    case 4 -> (rnd.nextBoolean() ? 1 : -1) * Float.MIN_VALUE * (1 + rnd.nextInt(1000));
                    default -> (float) ((j + rnd.nextDouble()) * w);
                };
                d[k] = v;
            }
            // keep only values whose exact bin lies on the grid (rounding to float may move an edge value out)
            int m = 0;
            for (int k = 0; k < n; k++) {
                long b = (long) Math.floor(d[k] * Math.scalb(1.0, -exponent)) - offset;
                if (b >= 0 && b < bins) d[m++] = d[k];
            }
            if (m == 0) continue;
            long[] expected = new long[bins];
            for (int k = 0; k < m; k++) {
                expected[ValueScan.index(d[k], Math.scalb(1.0, -exponent), offset)]++;
            }
            for (ValueScan scan : new ValueScan[] {new ValueScan.Scalar(), ValueScan.BEST}) {
                int[] counts = new int[bins + ValueScan.ZERO_SLOTS];
                scan.bin(d, m, exponent, offset, bins, counts);
                long[] got = new long[bins];
                for (int k = 0; k < bins; k++) got[k] = counts[k];
                for (int k = bins; k < counts.length; k++) {
                    if (counts[k] != 0) got[(int) -offset] += counts[k];
                }
                assertArrayEquals(expected, got, "exponent " + exponent + " offset " + offset + " " + scan);
                // A slice [from, m), as Histogram.add hands them over: the same as the slice on its own.
                int from = m / 3;
                float[] alone = java.util.Arrays.copyOfRange(d, from, m);
                int[] sliced = new int[bins + ValueScan.ZERO_SLOTS];
                int[] copied = new int[bins + ValueScan.ZERO_SLOTS];
                scan.bin(d, from, m, exponent, offset, bins, sliced);
                scan.bin(alone, alone.length, exponent, offset, bins, copied);
                assertEquals(settled(copied, bins, offset), settled(sliced, bins, offset), "slice of " + scan);
                float[] r1 = new float[2];
                float[] r2 = new float[2];
                scan.scan(d, from, m, r1);
                scan.scan(alone, alone.length, r2);
                assertArrayEquals(r2, r1, "extremes of a slice, " + scan);
            }
        }
    }

    /** Counts with the zero-bin slots added into the bin holding 0. */
    private static java.util.List<Long> settled(int[] counts, int bins, long offset) {
        long[] got = new long[bins];
        for (int k = 0; k < bins; k++) got[k] = counts[k];
        for (int k = bins; k < counts.length; k++) {
            if (counts[k] != 0) got[(int) -offset] += counts[k];
        }
        return java.util.Arrays.stream(got).boxed().toList();
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
