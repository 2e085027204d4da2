package io.quanta.calibrate;

import java.util.Arrays;

/**
 * A histogram of float values whose state depends only on the multiset of values recorded, never on their
 * order or grouping, so that merging is exact: the histogram of shard A merged with that of shard B equals
 * the histogram of A ∪ B, bit for bit.
 *
 * <p>Bins lie on a grid anchored at 0 with a power-of-two width 2^e: bin j holds [j·2^e, (j+1)·2^e). Of the
 * {@code bins} bins kept, the first is the bin of the smallest value seen. The exponent e is the smallest
 * one (≥ {@value #MIN_EXPONENT}) for which the smallest and largest values fall within {@code bins} bins
 * (and bin indices stay below 2^52, exact in a double). As the range grows e grows, and since each bin of
 * width 2^(e+1) is exactly two bins of width 2^e, coarsening loses nothing that the final grid keeps.
 * Scaling a float by a power of two is exact, so every value's bin is computed exactly.
 *
 * <p>Non-finite values are not binned; callers count them apart. With {@value #RANGE_ONLY} bins only the count and
 * the extremes are kept: min/max calibration needs no more, and skipping the binning pass makes it cheaper.
 */
public final class Histogram {
    public static final int DEFAULT_BINS = 2048;
    /** Keeps count, min and max only (no bins). */
    public static final int RANGE_ONLY = 0;
    /** The finest grid: 2^-64, far below any activation resolution that matters for 8-bit quantization. */
    public static final int MIN_EXPONENT = -64;

    private static final double INDEX_LIMIT = 0x1p52;
    /** Values per slice of {@link #add(float[], int)}: 16 KB. */
    private static final int SLICE = 4096;

    private final int bins;
    private long count;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;
    private int exponent = MIN_EXPONENT;
    private long offset;
    private long[] counts;
    /**
     * Counts of {@link #add} not yet in {@link #counts}, on the same grid, with the bin holding 0 spread over the
     * slots past {@code bins} (see {@link ValueScan#bin}): int counters are half the cache footprint, and adding them
     * into {@link #counts} after every tensor would cost as much as binning a small one. Settled before the grid
     * changes, before anything reads the counts, and before an int could overflow. Made on first use.
     */
    private int[] pending;
    /** Values counted in {@link #pending}. */
    private long pendingValues;
    /** Scratch for {@link ValueScan#scan}: a histogram is only ever fed by one thread. */
    private final float[] extremes = new float[2];

    public Histogram(int bins) {
        if (bins < 2 && bins != RANGE_ONLY) {
            throw new IllegalArgumentException(
                    "a histogram needs at least 2 bins (or 0 for the range only), got " + bins);
        }
        this.bins = bins;
        this.counts = new long[bins];
    }

    public Histogram() {
        this(DEFAULT_BINS);
    }

    /** Rebuilds a histogram from its serialized state, checking that it is the canonical one. */
    static Histogram restore(int bins, long count, float min, float max, int exponent, long offset, long[] stored) {
        Histogram h = new Histogram(bins);
        if (count == 0) {
            return h;
        }
        if (bins == RANGE_ONLY) {
            if (!(min <= max) || stored.length != 0) {
                throw new IllegalArgumentException("inconsistent range-only state: min=" + min + " max=" + max);
            }
            h.count = count;
            h.min = min;
            h.max = max;
            return h;
        }
        if (stored.length > bins
                || !(min <= max)
                || exponent != requiredExponent(min, max, MIN_EXPONENT, bins)
                || offset != (long) Math.floor(Math.scalb((double) min, -exponent))) {
            throw new IllegalArgumentException("inconsistent histogram state: bins=" + bins + " min=" + min + " max="
                    + max + " exponent=" + exponent + " offset=" + offset);
        }
        h.count = count;
        h.min = min;
        h.max = max;
        h.exponent = exponent;
        h.offset = offset;
        System.arraycopy(stored, 0, h.counts, 0, stored.length);
        if (Arrays.stream(h.counts).sum() != count) {
            throw new IllegalArgumentException(
                    "histogram counts add up to " + Arrays.stream(h.counts).sum() + ", not " + count);
        }
        return h;
    }

    /** Records the finite values among data[0..n); returns how many were not finite (and so skipped). */
    public int add(float[] data, int n) {
        if (bins == RANGE_ONLY) {
            return add(data, 0, n); // one pass either way: slices would only add calls
        }
        // Slices small enough to stay in L1 between the extremes' scan and the binning: two passes over a whole large
        // activation read it twice from farther away. The result is the same: the grid only ever coarsens, exactly.
        int skipped = 0;
        for (int from = 0; from < n; from += SLICE) {
            skipped += add(data, from, Math.min(n, from + SLICE));
        }
        return skipped;
    }

    /** {@link #add(float[], int)} of data[from..to). */
    private int add(float[] data, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return 0;
        }
        // The common case first: every value finite, which finite extremes prove (a NaN or an infinity would show).
        ValueScan.BEST.scan(data, from, to, extremes);
        float lo = extremes[0];
        float hi = extremes[1];
        boolean allFinite = Float.isFinite(lo) && Float.isFinite(hi);
        int finite = n;
        if (!allFinite) {
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            finite = 0;
            for (int k = from; k < to; k++) {
                float v = data[k];
                if (Float.isFinite(v)) {
                    finite++;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            if (finite == 0) {
                return n;
            }
        }
        if (bins == RANGE_ONLY) {
            widenRange(lo + 0f, hi + 0f, finite);
            return n - finite;
        }
        cover(lo + 0f, hi + 0f); // + 0f turns -0 into +0: which zero came first must not matter
        if (allFinite) {
            if (pending == null) {
                pending = new int[bins + ValueScan.ZERO_SLOTS];
            } else if (pendingValues + n > Integer.MAX_VALUE) {
                settle();
            }
            ValueScan.BEST.bin(data, from, to, exponent, offset, bins, pending);
            pendingValues += n;
        } else {
            double scale = Math.scalb(1.0, -exponent);
            for (int k = from; k < to; k++) {
                float v = data[k];
                if (Float.isFinite(v)) {
                    counts[ValueScan.index(v, scale, offset)]++;
                }
            }
        }
        count += finite;
        return n - finite;
    }

    public void add(float value) {
        add(new float[] {value}, 1);
    }

    /** Adds another histogram's values to this one (both must have the same number of bins). */
    public void merge(Histogram other) {
        if (other.bins != bins) {
            throw new IllegalArgumentException("cannot merge histograms of " + bins + " and " + other.bins + " bins");
        }
        if (other.count == 0) {
            return;
        }
        if (bins == RANGE_ONLY) {
            widenRange(other.min, other.max, other.count);
            return;
        }
        other.settle();
        cover(other.min, other.max);
        int shift = exponent - other.exponent; // ≥ 0: this grid is at least as coarse as other's now
        for (int k = 0; k < other.bins; k++) {
            long c = other.counts[k];
            if (c != 0) {
                long j = coarser(other.offset + k, shift);
                counts[(int) (j - offset)] += c;
            }
        }
        count += other.count;
    }

    /** A range-only histogram's whole update: the extremes and the count. */
    private void widenRange(float lo, float hi, long values) {
        min = Math.min(min, lo);
        max = Math.max(max, hi);
        count += values;
    }

    /** Adds the pending counts into {@link #counts}. */
    private void settle() {
        if (pendingValues == 0) {
            return;
        }
        for (int k = 0; k < bins; k++) {
            counts[k] += pending[k];
            pending[k] = 0;
        }
        long zeros = 0;
        for (int k = bins; k < pending.length; k++) {
            zeros += pending[k];
            pending[k] = 0;
        }
        if (zeros > 0) {
            counts[(int) -offset] += zeros; // only values binned on this grid's zero bin are in the slots
        }
        pendingValues = 0;
    }

    /** Widens the kept range to include [lo, hi], coarsening the grid as little as the canonical form asks. */
    private void cover(float lo, float hi) {
        if (lo >= min && hi <= max) {
            return; // the common case once a few samples went in: the grid stays
        }
        float newMin = Math.min(min, lo);
        float newMax = Math.max(max, hi);
        int newExponent = requiredExponent(newMin, newMax, count == 0 ? MIN_EXPONENT : exponent, bins);
        long newOffset = (long) Math.floor(Math.scalb((double) newMin, -newExponent));
        if (count > 0 && (newExponent != exponent || newOffset != offset)) {
            settle();
            long[] moved = new long[bins];
            int shift = newExponent - exponent;
            for (int k = 0; k < bins; k++) {
                if (counts[k] != 0) {
                    long j = coarser(offset + k, shift);
                    moved[(int) (j - newOffset)] += counts[k];
                }
            }
            counts = moved;
        }
        min = newMin;
        max = newMax;
        exponent = newExponent;
        offset = newOffset;
    }

    /** The index of grid bin j once the width grows by 2^shift: floor(j / 2^shift) (Java masks shifts past 63). */
    private static long coarser(long j, int shift) {
        return shift >= 63 ? (j < 0 ? -1 : 0) : j >> shift;
    }

    /** The smallest exponent ≥ start at which [lo, hi] spans fewer than {@code bins} bins of exact indices. */
    static int requiredExponent(float lo, float hi, int start, int bins) {
        int e = start;
        while (true) {
            double i = Math.floor(Math.scalb((double) lo, -e));
            double j = Math.floor(Math.scalb((double) hi, -e));
            if (j - i < bins && i >= -INDEX_LIMIT && j < INDEX_LIMIT) {
                return e;
            }
            e++;
        }
    }

    public int bins() {
        return bins;
    }
    /** Number of values recorded. */
    public long count() {
        return count;
    }
    /** Smallest value recorded (+infinity when empty). */
    public float min() {
        return min;
    }
    /** Largest value recorded (-infinity when empty). */
    public float max() {
        return max;
    }
    /** Bin width is 2^exponent. */
    public int exponent() {
        return exponent;
    }
    /** Grid index of the first bin: it starts at offset · 2^exponent. */
    public long offset() {
        return offset;
    }

    public double binWidth() {
        return Math.scalb(1.0, exponent);
    }
    /** Lower edge of kept bin k. */
    public double binStart(int k) {
        return Math.scalb((double) (offset + k), exponent);
    }

    /** The counts of the kept bins, up to the last non-empty one. */
    public long[] counts() {
        settle();
        int last = counts.length;
        while (last > 0 && counts[last - 1] == 0) {
            last--;
        }
        return Arrays.copyOf(counts, last);
    }

    /**
     * The counts regrouped into {@code n} equal bins over [min, max] (each kept bin goes whole to the bin of its
     * centre): a small picture of the distribution, e.g. for a report. Empty when nothing was recorded, or only the
     * range ({@link #RANGE_ONLY}).
     */
    public long[] resample(int n) {
        long[] kept = counts();
        if (kept.length == 0 || n <= 0 || !(max >= min)) {
            return new long[0];
        }
        long[] out = new long[n];
        double span = (double) max - min;
        for (int k = 0; k < kept.length; k++) {
            if (kept[k] == 0) {
                continue;
            }
            double centre = binStart(k) + binWidth() / 2;
            int i = span > 0 ? (int) Math.floor((centre - min) / span * n) : 0;
            out[Math.max(0, Math.min(n - 1, i))] += kept[k];
        }
        return out;
    }

    public Histogram copy() {
        Histogram h = new Histogram(bins);
        h.merge(this);
        return h;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Histogram h)) {
            return false;
        }
        settle();
        h.settle();
        return h.bins == bins
                && h.count == count
                && Float.compare(h.min, min) == 0
                && Float.compare(h.max, max) == 0
                && h.exponent == exponent
                && h.offset == offset
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        settle();
        return Long.hashCode(count) * 31 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[count=" + count + ", range=" + min + ".." + max + ", width=2^" + exponent + ", offset="
                + offset + "]";
    }
}
