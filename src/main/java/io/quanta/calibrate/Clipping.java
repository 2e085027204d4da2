package io.quanta.calibrate;

/**
 * The clipping range of one activation tensor under each {@link CalibrationMethod}, computed from its recorded
 * {@link Histogram}: pure functions. Ranges are for asymmetric int8 with 0 representable (the quantizer widens
 * every range to include 0), so the error models below include 0 too.
 */
public final class Clipping {
    /** Default percentile of {@link CalibrationMethod#PERCENTILE}. */
    public static final double DEFAULT_PERCENTILE = 99.99;
    /** Candidate shrink factors for MSE: 2^(-j/16), j = 0..STEPS, down to about 1/1000 of the full range. */
    private static final int MSE_STEPS = 160;
    /** At most this many KL candidates per tensor, which bounds entropy calibration at O(bins · this). */
    private static final int KL_CANDIDATES = 400;

    private Clipping() {}

    /** The range, a {min, max} pair, of a tensor's recorded values under {@code method} (not AUTO). */
    public static float[] range(TensorStats t, CalibrationMethod method, double percentile) {
        Histogram h = t.histogram();
        float[] minmax = {h.min(), h.max()};
        if (h.count() == 0 || h.min() == h.max()) {
            return minmax;
        }
        float[] r = switch (method) {
            case MINMAX -> minmax;
            case PERCENTILE -> percentile(h, percentile);
            case MSE -> mse(h);
            case ENTROPY -> entropy(h);
            case AUTO ->
                throw new IllegalArgumentException("auto is chosen per tensor by the pipeline, not from a histogram");
        };
        // Never wider than what was seen, and never empty.
        float lo = Math.max(r[0], h.min());
        float hi = Math.min(r[1], h.max());
        return lo <= hi ? new float[] {lo, hi} : minmax;
    }

    /**
     * Clips the upper tail at the {@code p}-th percentile and the lower tail at the (100 − p)-th, at bin edges;
     * a side at or beyond 0 is kept as seen (it does not widen the range the quantizer must cover).
     */
    static float[] percentile(Histogram h, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        long[] c = h.counts();
        long total = h.count();
        double tail = total * (100 - p) / 100;
        float hi = h.max();
        float lo = h.min();
        if (h.max() > 0) {
            long above = 0;
            for (int k = c.length - 1; k >= 0; k--) {
                if (above + c[k] > tail) {
                    hi = (float) Math.max(0, Math.min(h.max(), h.binStart(k) + h.binWidth()));
                    break;
                }
                above += c[k];
            }
        }
        if (h.min() < 0) {
            long below = 0;
            for (int k = 0; k < c.length; k++) {
                if (below + c[k] > tail) {
                    lo = (float) Math.min(0, Math.max(h.min(), h.binStart(k)));
                    break;
                }
                below += c[k];
            }
        }
        return new float[] {lo, hi};
    }

    /**
     * Shrinks [min, max] (towards 0, both sides by the same factor) to the candidate with the smallest expected
     * squared error: values outside clip to the nearest end, values inside carry rounding noise of step²/12.
     * Bin centres stand for the values of each bin.
     */
    static float[] mse(Histogram h) {
        long[] c = h.counts();
        double[] centre = centres(h, c.length);
        double bestErr = Double.POSITIVE_INFINITY;
        double bestFactor = 1;
        for (int j = 0; j <= MSE_STEPS; j++) {
            double f = Math.pow(2, -j / 16.0);
            double lo = Math.min(0, h.min() * f);
            double hi = Math.max(0, h.max() * f);
            double step = (hi - lo) / 255;
            double rounding = step * step / 12;
            double err = 0;
            for (int k = 0; k < c.length; k++) {
                if (c[k] == 0) continue;
                double x = centre[k];
                double d = x > hi ? x - hi : x < lo ? lo - x : 0;
                err += c[k] * (d == 0 ? rounding : d * d);
            }
            if (err < bestErr) {
                bestErr = err;
                bestFactor = f;
            }
        }
        return new float[] {(float) (h.min() * bestFactor), (float) (h.max() * bestFactor)};
    }

    /**
     * TensorRT's entropy calibration on the magnitudes: for each candidate threshold T (a bin edge of the
     * histogram of |x|), P is the distribution up to T with the tail folded into the last bin, Q is P merged into
     * the int8 levels available on that side (128 when the tensor has both signs, 255 when one) and expanded back
     * over P's non-empty bins; the T with the smallest KL(P‖Q) wins, and the range is [max(min, −T), min(max, T)].
     */
    static float[] entropy(Histogram h) {
        boolean twoSided = h.min() < 0 && h.max() > 0;
        int levels = twoSided ? 128 : 255;
        Magnitudes m = magnitudes(h);
        long[] hist = m.counts;
        int n = hist.length;
        if (n <= levels) {
            return new float[] {h.min(), h.max()};
        }
        int stride = Math.max(1, (n - levels) / KL_CANDIDATES);
        double bestKl = Double.POSITIVE_INFINITY;
        int best = n;
        double[] p = new double[n];
        double[] q = new double[n];
        for (int i = levels; i <= n; i = i == n ? n + 1 : Math.min(n, i + stride)) {
            long outliers = 0;
            for (int k = i; k < n; k++) outliers += hist[k];
            for (int k = 0; k < i; k++) p[k] = hist[k];
            p[i - 1] += outliers;
            // Merge hist[0..i) into `levels` groups, then spread each group's count over its non-empty bins.
            for (int g = 0; g < levels; g++) {
                int start = (int) ((long) g * i / levels);
                int end = (int) ((long) (g + 1) * i / levels);
                double sum = 0;
                int nonEmpty = 0;
                for (int k = start; k < end; k++) {
                    sum += hist[k];
                    if (hist[k] != 0) nonEmpty++;
                }
                for (int k = start; k < end; k++) {
                    q[k] = hist[k] == 0 || nonEmpty == 0 ? 0 : sum / nonEmpty;
                }
            }
            double kl = klDivergence(p, q, i);
            if (kl < bestKl) {
                bestKl = kl;
                best = i;
            }
        }
        double t = best * m.width;
        return new float[] {(float) Math.max(h.min(), -t), (float) Math.min(h.max(), t)};
    }

    /** KL(P‖Q) over the first n bins, both normalized; Q's empty bins where P has mass get a small epsilon. */
    static double klDivergence(double[] p, double[] q, int n) {
        double sp = 0;
        double sq = 0;
        for (int k = 0; k < n; k++) {
            sp += p[k];
            sq += q[k];
        }
        if (sp == 0 || sq == 0) return Double.POSITIVE_INFINITY;
        double kl = 0;
        for (int k = 0; k < n; k++) {
            if (p[k] == 0) continue;
            double pk = p[k] / sp;
            double qk = q[k] == 0 ? 1e-12 : q[k] / sq;
            kl += pk * Math.log(pk / qk);
        }
        return kl;
    }

    /** A histogram of |x| from 0 up, at most {@code h.bins()} bins of width {@code width}. */
    record Magnitudes(long[] counts, double width) {}

    /**
     * Folds the signed histogram onto magnitudes: grid bin j ≥ 0 holds [j, j+1)·w, and bin j < 0 holds magnitudes
     * in (−j−1, −j]·w. Then coarsens by powers of two (exact on this grid) until it fits in the histogram's bins.
     */
    static Magnitudes magnitudes(Histogram h) {
        long[] c = h.counts();
        long last = 0;
        for (int k = 0; k < c.length; k++) {
            long j = h.offset() + k;
            last = Math.max(last, j >= 0 ? j : -j - 1);
        }
        int shift = 0;
        while ((last >> shift) >= h.bins()) shift++;
        long[] out = new long[(int) (last >> shift) + 1];
        for (int k = 0; k < c.length; k++) {
            if (c[k] == 0) continue;
            long j = h.offset() + k;
            long a = j >= 0 ? j : -j - 1;
            out[(int) (a >> shift)] += c[k];
        }
        return new Magnitudes(out, Math.scalb(h.binWidth(), shift));
    }

    private static double[] centres(Histogram h, int n) {
        double[] c = new double[n];
        for (int k = 0; k < n; k++) {
            c[k] = Math.min(h.max(), Math.max(h.min(), h.binStart(k) + h.binWidth() / 2));
        }
        return c;
    }
}
