package io.quanta.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void binsOnAPowerOfTwoGridAnchoredAtZero() {
        Histogram h = new Histogram(4);
        h.add(new float[] {0, 1, 2, 3}, 4);
        assertEquals(0, h.exponent());
        assertEquals(0, h.offset());
        assertArrayEquals(new long[] {1, 1, 1, 1}, h.counts());
        h.add(4f); // five unit bins no longer fit in four: width doubles, pairs of bins merge
        assertEquals(1, h.exponent());
        assertArrayEquals(new long[] {2, 2, 1}, h.counts());
        assertEquals(5, h.count());
        assertEquals(0f, h.min());
        assertEquals(4f, h.max());
    }

    @Test
    void resampleRegroupsCountsIntoEqualBinsOverTheRange() {
        Histogram h = new Histogram(2048);
        float[] v = new float[1000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 1000f * 8; // uniform over [0, 8)
        }
        h.add(v, v.length);
        long[] four = h.resample(4);
        assertEquals(4, four.length);
        assertEquals(1000, Arrays.stream(four).sum());
        for (long c : four) {
            assertEquals(250, c, 2, Arrays.toString(four));
        }
        assertEquals(0, new Histogram(Histogram.RANGE_ONLY).resample(4).length, "a range-only histogram has none");
        Histogram one = new Histogram(16);
        one.add(new float[] {3, 3, 3}, 3);
        assertArrayEquals(new long[] {3, 0}, one.resample(2), "a single value lands in the first bin");
    }

    @Test
    void narrowRangesGetFineBinsAndNegativeValuesFloorDownward() {
        Histogram h = new Histogram(8);
        h.add(new float[] {-0.75f, -0.5f, 0.25f}, 3);
        // width 2^-3 would need bins -6..2 (nine bins); width 2^-2 needs bins -3..1
        assertEquals(-2, h.exponent());
        assertEquals(-3, h.offset());
        assertEquals(-0.75, h.binStart(0));
        assertArrayEquals(new long[] {1, 1, 0, 0, 1}, h.counts());
        Histogram tight = new Histogram(8);
        tight.add(new float[] {1.0f, 1.0f + 0x1p-20f}, 2);
        assertEquals(-22, tight.exponent()); // 2^-20 apart: bins 2^22 and 2^22 + 4 of width 2^-22
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, tight.counts());
    }

    @Test
    void nonFiniteValuesAreSkippedAndCounted() {
        Histogram h = new Histogram(16);
        assertEquals(3, h.add(new float[] {Float.NaN, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 4));
        assertEquals(1, h.count());
        assertEquals(1f, h.min());
    }

    @Test
    void stateDependsOnlyOnTheMultisetNotOnOrderOrGrouping() {
        Random rnd = new Random(1234);
        for (int trial = 0; trial < 200; trial++) {
            List<Float> values = randomValues(rnd, 1 + rnd.nextInt(300));
            Histogram whole = new Histogram(1 + 1 + rnd.nextInt(64));
            whole.add(toArray(values), values.size());

            Collections.shuffle(values, rnd);
            Histogram merged = new Histogram(whole.bins());
            int at = 0;
            while (at < values.size()) {
                int n = 1 + rnd.nextInt(values.size() - at);
                Histogram shard = new Histogram(whole.bins());
                if (rnd.nextBoolean()) {
                    shard.add(toArray(values.subList(at, at + n)), n);
                } else {
                    values.subList(at, at + n).forEach(shard::add);
                }
                merged.merge(shard);
                at += n;
            }
            assertEquals(whole, merged, "trial " + trial);
            assertEquals(values.size(), Arrays.stream(merged.counts()).sum());
        }
    }

    @Test
    void longArraysWhoseRangeGrowsFromSliceToSliceGiveTheCanonicalHistogram() {
        Random rnd = new Random(2024);
        for (int trial = 0; trial < 6; trial++) {
            // Several of add's slices, the range widening in each (so the grid coarsens between slices), a few
            // non-finite values in one slice, and a length that is no multiple of the slice or the vector width.
            int n = 3 * 4096 + 1000 + rnd.nextInt(3000);
            float[] a = new float[n];
            for (int k = 0; k < n; k++) {
                float growth = (float) Math.pow(4, k / 4096);
                a[k] = rnd.nextInt(3) == 0 ? 0f : (float) rnd.nextGaussian() * growth * (trial + 1);
            }
            int bad = 4096 + rnd.nextInt(4096);
            a[bad] = Float.NaN;
            a[bad + 7] = Float.NEGATIVE_INFINITY;
            Histogram whole = new Histogram(2048);
            assertEquals(2, whole.add(a, n));

            Histogram oneByOne = new Histogram(2048);
            List<Float> values = new ArrayList<>();
            for (float v : a) {
                values.add(v);
            }
            Collections.shuffle(values, rnd);
            values.forEach(oneByOne::add);
            assertEquals(oneByOne, whole, "trial " + trial);

            long[] expected = new long[2048];
            for (float v : a) {
                if (Float.isFinite(v)) {
                    expected[(int) Math.floor((v - whole.binStart(0)) / whole.binWidth())]++;
                }
            }
            assertArrayEquals(expected, Arrays.copyOf(whole.counts(), 2048));
        }
    }

    @Test
    void everyValueLandsInTheBinThatContainsIt() {
        Random rnd = new Random(99);
        List<Float> values = randomValues(rnd, 500);
        Histogram h = new Histogram(64);
        h.add(toArray(values), values.size());
        long[] expected = new long[64];
        for (float v : values) {
            int k = (int) Math.floor((v - h.binStart(0)) / h.binWidth());
            expected[k]++;
        }
        long[] counts = Arrays.copyOf(h.counts(), 64);
        assertArrayEquals(expected, counts);
    }

    @Test
    void mergingDifferentBinCountsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Histogram(8).merge(new Histogram(16)));
    }

    /** Values at mixed scales, signs, zeros of both signs, repeats and extremes. */
    static List<Float> randomValues(Random rnd, int n) {
        List<Float> v = new ArrayList<>();
        float scale = (float) Math.pow(10, rnd.nextInt(12) - 6);
        for (int k = 0; k < n; k++) {
            switch (rnd.nextInt(10)) {
                case 0 -> v.add(rnd.nextBoolean() ? 0f : -0f);
                case 1 -> v.add(v.isEmpty() ? 1f : v.get(rnd.nextInt(v.size())));
                case 2 -> v.add(rnd.nextInt(1000) == 0 ? Float.MAX_VALUE : (float) rnd.nextGaussian() * scale * 1000);
                default -> v.add((float) rnd.nextGaussian() * scale);
            }
        }
        return v;
    }

    static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = values.get(k);
        }
        return a;
    }

    @Test
    void rangeOnlyKeepsTheExtremesAndCountOfTheBinnedOne() {
        Random r = new Random(7);
        float[] a = new float[1000];
        float[] b = new float[300];
        for (int k = 0; k < a.length; k++) {
            a[k] = (float) (r.nextGaussian() * 3);
        }
        for (int k = 0; k < b.length; k++) {
            b[k] = k % 50 == 0 ? Float.NaN : (float) (r.nextGaussian() * 40 - 7);
        }
        Histogram binned = new Histogram();
        Histogram range = new Histogram(Histogram.RANGE_ONLY);
        Histogram shardA = new Histogram(Histogram.RANGE_ONLY);
        Histogram shardB = new Histogram(Histogram.RANGE_ONLY);
        assertEquals(
                binned.add(a, a.length) + binned.add(b, b.length), range.add(a, a.length) + range.add(b, b.length));
        shardA.add(a, a.length);
        shardB.add(b, b.length);
        shardA.merge(shardB);
        for (Histogram h : List.of(range, shardA)) {
            assertEquals(binned.min(), h.min());
            assertEquals(binned.max(), h.max());
            assertEquals(binned.count(), h.count());
            assertEquals(0, h.counts().length);
        }
        assertEquals(range, shardA);
        assertThrows(IllegalArgumentException.class, () -> range.merge(binned));
    }

    @Test
    void rangeOnlyStatisticsSurviveTheirJson() {
        CalibrationStats stats = new CalibrationStats(Histogram.RANGE_ONLY);
        stats.tensor(3, "x").add(new float[] {-2.5f, 0f, 7.25f}, 3);
        CalibrationStats back = CalibrationStats.fromJson(stats.toJson());
        assertEquals(stats, back);
        assertEquals(-2.5f, back.tensor(3, "x").min());
        assertEquals(7.25f, back.tensor(3, "x").max());
    }
}
