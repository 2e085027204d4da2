package io.quanta.calibrate;

/**
 * What calibration saw of one float tensor over all samples: its range, how many values, how many were
 * not finite, and their histogram. Merging two is exact (see {@link Histogram}).
 */
public final class TensorStats {
    private final int tensorIndex;
    private final String name;
    private final Histogram histogram;
    private long nonFinite;

    public TensorStats(int tensorIndex, String name, int bins) {
        this(tensorIndex, name, new Histogram(bins), 0);
    }

    TensorStats(int tensorIndex, String name, Histogram histogram, long nonFinite) {
        this.tensorIndex = tensorIndex;
        this.name = name;
        this.histogram = histogram;
        this.nonFinite = nonFinite;
    }

    /** Records data[0..n). */
    public void add(float[] data, int n) {
        nonFinite += histogram.add(data, n);
    }

    /** Adds another shard's stats of the same tensor. */
    public void merge(TensorStats other) {
        if (other.tensorIndex != tensorIndex || !other.name.equals(name)) {
            throw new IllegalArgumentException("cannot merge stats of tensor " + other.tensorIndex + " '" + other.name
                    + "' into tensor " + tensorIndex + " '" + name + "': the shards come from different models");
        }
        histogram.merge(other.histogram);
        nonFinite += other.nonFinite;
    }

    public TensorStats copy() {
        return new TensorStats(tensorIndex, name, histogram.copy(), nonFinite);
    }

    public int tensorIndex() {
        return tensorIndex;
    }

    public String name() {
        return name;
    }
    /** Smallest finite value seen (+infinity if none). */
    public float min() {
        return histogram.min();
    }
    /** Largest finite value seen (-infinity if none). */
    public float max() {
        return histogram.max();
    }
    /** Finite values seen. */
    public long count() {
        return histogram.count();
    }
    /** NaN and infinite values seen (not in min, max or the histogram). */
    public long nonFinite() {
        return nonFinite;
    }

    public Histogram histogram() {
        return histogram;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorStats t
                && t.tensorIndex == tensorIndex
                && t.name.equals(name)
                && t.nonFinite == nonFinite
                && t.histogram.equals(histogram);
    }

    @Override
    public int hashCode() {
        return tensorIndex * 31 + histogram.hashCode();
    }

    @Override
    public String toString() {
        return "TensorStats[" + tensorIndex + " '" + name + "' " + min() + ".." + max() + " n=" + count()
                + (nonFinite > 0 ? " nonFinite=" + nonFinite : "") + "]";
    }
}
