package io.quanta.eval;

/**
 * The sums behind {@link OutputError} and {@link LayerError}: element count, largest absolute error, and the sums
 * of absolute errors, squared errors and squared reference values. Elements are added in plain doubles (fast, in
 * sample order); what parts bring when they {@link #merge} is added exactly ({@link ExactSum}), so the totals of a
 * run do not depend on how its fixed blocks of samples were grouped: among threads, or among shards in other pods.
 */
final class ErrorSums {
    long count;
    double maxAbs;
    /** This part's own elements since the last merge, in sample order. */
    private double sumAbs;

    private double sumSquares;
    private double signalPower;
    /** Everything merged in so far, this part's earlier elements included. */
    private final ExactSum mergedAbs = new ExactSum();

    private final ExactSum mergedSquares = new ExactSum();
    private final ExactSum mergedSignal = new ExactSum();

    void add(float[] reference, float[] test, int n) {
        // Locals, not the fields, in the loop: the three sums are chains of dependent additions, and a field's store
        // and reload in every iteration would lengthen each link. Same additions in the same order, same doubles.
        double max = maxAbs;
        double abs = sumAbs;
        double squares = sumSquares;
        double signal = signalPower;
        for (int k = 0; k < n; k++) {
            double r = reference[k];
            double e = (double) test[k] - r;
            double a = Math.abs(e);
            if (a > max) {
                max = a;
            }
            abs += a;
            squares += e * e;
            signal += r * r;
        }
        maxAbs = max;
        sumAbs = abs;
        sumSquares = squares;
        signalPower = signal;
        count += n;
    }

    void merge(ErrorSums other) {
        settle();
        count += other.count;
        maxAbs = Math.max(maxAbs, other.maxAbs);
        mergedAbs.add(other.mergedAbs);
        mergedAbs.add(other.sumAbs);
        mergedSquares.add(other.mergedSquares);
        mergedSquares.add(other.sumSquares);
        mergedSignal.add(other.mergedSignal);
        mergedSignal.add(other.signalPower);
    }

    /** Moves this part's own running sums into the exact ones. */
    private void settle() {
        mergedAbs.add(sumAbs);
        mergedSquares.add(sumSquares);
        mergedSignal.add(signalPower);
        sumAbs = 0;
        sumSquares = 0;
        signalPower = 0;
    }

    double sumAbs() {
        return total(mergedAbs, sumAbs);
    }

    double sumSquares() {
        return total(mergedSquares, sumSquares);
    }

    double signalPower() {
        return total(mergedSignal, signalPower);
    }

    private static double total(ExactSum merged, double running) {
        ExactSum t = new ExactSum();
        t.add(merged);
        t.add(running);
        return t.value();
    }

    /** In dB: 10·log10(signal / noise); +infinity when there is no error, -infinity when the signal is zero. */
    double sqnrDb() {
        double noise = sumSquares();
        if (noise == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(signalPower() / noise);
    }

    // Lossless state, for partial results written by shards (see EvaluationTotals.toJson).

    record State(long count, String maxAbs, String sumAbs, String sumSquares, String signalPower) {}

    State state() {
        settle();
        return new State(
                count, Double.toHexString(maxAbs), mergedAbs.encode(), mergedSquares.encode(), mergedSignal.encode());
    }

    static ErrorSums of(State s) {
        ErrorSums e = new ErrorSums();
        if (s.count() < 0) {
            throw new IllegalArgumentException("negative element count " + s.count());
        }
        e.count = s.count();
        e.maxAbs = parseDouble(s.maxAbs());
        e.mergedAbs.add(ExactSum.decode(s.sumAbs()));
        e.mergedSquares.add(ExactSum.decode(s.sumSquares()));
        e.mergedSignal.add(ExactSum.decode(s.signalPower()));
        return e;
    }

    static double parseDouble(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing number");
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + text + "'");
        }
    }
}
