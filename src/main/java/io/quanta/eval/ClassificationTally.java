package io.quanta.eval;

/**
 * Counts, over samples, how often the float and the quantized model pick the same class (argmax agreement)
 * and, for labelled samples, how often each one's top-1 and top-5 contain the label. Pure counting.
 */
public final class ClassificationTally {
    private int samples;
    private int labelled;
    private int agree;
    private int floatTop1;
    private int quantTop1;
    private int floatTop5;
    private int quantTop5;

    /**
     * Adds one sample's class scores ({@code classes} of them) from each model; {@code label} is the true
     * class, or negative when unknown.
     */
    public void add(float[] floatScores, float[] quantScores, int classes, int label) {
        int fa = argmax(floatScores, classes);
        int qa = argmax(quantScores, classes);
        samples++;
        if (fa == qa) {
            agree++;
        }
        if (label >= 0) {
            labelled++;
            if (fa == label) floatTop1++;
            if (qa == label) quantTop1++;
            if (rankOf(floatScores, classes, label) < 5) floatTop5++;
            if (rankOf(quantScores, classes, label) < 5) quantTop5++;
        }
    }

    /** Adds another part's counts (another block or shard of samples). */
    public ClassificationTally merge(ClassificationTally other) {
        samples += other.samples;
        labelled += other.labelled;
        agree += other.agree;
        floatTop1 += other.floatTop1;
        quantTop1 += other.quantTop1;
        floatTop5 += other.floatTop5;
        quantTop5 += other.quantTop5;
        return this;
    }

    /** The counts, for partial results written by shards. */
    record State(int samples, int labelled, int agree, int floatTop1, int quantTop1, int floatTop5, int quantTop5) {}

    State state() {
        return new State(samples, labelled, agree, floatTop1, quantTop1, floatTop5, quantTop5);
    }

    static ClassificationTally of(State s) {
        int[] all = {s.samples(), s.labelled(), s.agree(), s.floatTop1(), s.quantTop1(), s.floatTop5(), s.quantTop5()};
        for (int v : all) {
            if (v < 0) {
                throw new IllegalArgumentException("negative count in a classification tally");
            }
        }
        ClassificationTally t = new ClassificationTally();
        t.samples = s.samples();
        t.labelled = s.labelled();
        t.agree = s.agree();
        t.floatTop1 = s.floatTop1();
        t.quantTop1 = s.quantTop1();
        t.floatTop5 = s.floatTop5();
        t.quantTop5 = s.quantTop5();
        return t;
    }

    /** Index of the largest score; the first one on ties (as numpy.argmax). */
    public static int argmax(float[] scores, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (scores[k] > scores[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * How many classes rank before {@code label}: those with a higher score, and those with an equal score
     * and a lower index (the order argmax and a stable sort use). A label outside the classes ranks last.
     */
    public static int rankOf(float[] scores, int n, int label) {
        if (label >= n) {
            return n;
        }
        float s = scores[label];
        int before = 0;
        for (int k = 0; k < n; k++) {
            if (scores[k] > s || (scores[k] == s && k < label)) {
                before++;
            }
        }
        return before;
    }

    public int samples() {
        return samples;
    }

    public int labelled() {
        return labelled;
    }

    public double agreement() {
        return samples == 0 ? Double.NaN : (double) agree / samples;
    }

    public double floatTop1() {
        return fraction(floatTop1);
    }

    public double quantizedTop1() {
        return fraction(quantTop1);
    }

    public double floatTop5() {
        return fraction(floatTop5);
    }

    public double quantizedTop5() {
        return fraction(quantTop5);
    }

    private double fraction(int hits) {
        return labelled == 0 ? Double.NaN : (double) hits / labelled;
    }
}
