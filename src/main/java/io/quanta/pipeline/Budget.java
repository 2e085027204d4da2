package io.quanta.pipeline;

import io.quanta.eval.TrialFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy a quantized model must keep, in any of three measures; null leaves a measure unchecked.
 *
 * @param minAgreement    smallest top-1 agreement with the float model, in (0, 1]
 * @param minSqnrDb       smallest output SQNR in dB
 * @param maxAccuracyDrop largest float top-1 minus quantized top-1, in [0, 1] (needs labels)
 */
public record Budget(Double minAgreement, Double minSqnrDb, Double maxAccuracyDrop) {

    public Budget {
        if (minAgreement != null && !(minAgreement > 0 && minAgreement <= 1)) {
            throw new IllegalArgumentException("min-agreement must be in (0, 1], got " + minAgreement);
        }
        if (minSqnrDb != null && !Double.isFinite(minSqnrDb)) {
            throw new IllegalArgumentException("min-sqnr must be a finite number of dB, got " + minSqnrDb);
        }
        if (maxAccuracyDrop != null && !(maxAccuracyDrop >= 0 && maxAccuracyDrop <= 1)) {
            throw new IllegalArgumentException("max-accuracy-drop must be in [0, 1], got " + maxAccuracyDrop);
        }
    }

    public static Budget none() {
        return new Budget(null, null, null);
    }

    public boolean isEmpty() {
        return minAgreement == null && minSqnrDb == null && maxAccuracyDrop == null;
    }

    /** True when every stated measure holds for these figures (a measure the figures lack does not hold). */
    public boolean holds(TrialFigures f) {
        return shortfall(f) == 0;
    }

    /**
     * How far the figures fall short of the budget, 0 when it holds: the sum of each measure's gap, agreement
     * and accuracy in points and SQNR in tenths of a dB, so that the best failing trial can be named.
     */
    public double shortfall(TrialFigures f) {
        double gap = 0;
        if (minAgreement != null) {
            gap += Double.isNaN(f.agreement()) ? 100 : Math.max(0, 100 * (minAgreement - f.agreement()));
        }
        if (maxAccuracyDrop != null) {
            gap += Double.isNaN(f.accuracyDrop()) ? 100 : Math.max(0, 100 * (f.accuracyDrop() - maxAccuracyDrop));
        }
        if (minSqnrDb != null) {
            double s = f.sqnrDb();
            gap += Double.isNaN(s) ? 100 : Math.max(0, (minSqnrDb - Math.min(s, 1e9)) / 10);
        }
        return gap;
    }

    /** "agreement >= 0.95, SQNR >= 20 dB": the budget in words, for messages and the Accepted condition. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (minAgreement != null) parts.add(String.format(Locale.ROOT, "agreement >= %s", trim(minAgreement)));
        if (maxAccuracyDrop != null) parts.add(String.format(Locale.ROOT, "top-1 drop <= %s", trim(maxAccuracyDrop)));
        if (minSqnrDb != null) parts.add(String.format(Locale.ROOT, "SQNR >= %s dB", trim(minSqnrDb)));
        return parts.isEmpty() ? "no budget" : String.join(", ", parts);
    }

    /** The figures a budget speaks of, in words: "agreement 0.9375, top-1 drop 0.0100, SQNR 21.3 dB". */
    public static String describe(TrialFigures f) {
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(f.agreement())) parts.add(String.format(Locale.ROOT, "agreement %.4f", f.agreement()));
        if (f.labelled() > 0)
            parts.add(String.format(Locale.ROOT, "top-1 %.4f (drop %.4f)", f.quantizedTop1(), f.accuracyDrop()));
        parts.add(String.format(Locale.ROOT, "SQNR %.1f dB", f.sqnrDb()));
        return String.join(", ", parts);
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
