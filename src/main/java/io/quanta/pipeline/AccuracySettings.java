package io.quanta.pipeline;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.Clipping;
import java.util.Objects;

/**
 * What a run does for accuracy beyond the converter's recipe: how activation ranges are chosen, the budget the
 * result must meet, how to search for a model that meets it, and whether to rank ops by sensitivity.
 *
 * @param calibration how each activation range is chosen (MINMAX reproduces the converter)
 * @param percentile  the percentile of PERCENTILE, in (0, 100]
 * @param budget      the accuracy the result must keep; empty for none
 * @param strategy    NONE only checks the budget; GREEDY keeps the most sensitive ops float until it holds
 * @param maxTrials   at most this many candidate models in the greedy search, after the baseline and sensitivity trials
 * @param fallback    what a sensitive op falls back to: FLOAT, or INT16 (int16 activations, TFLite's 16x8 kernels)
 * @param sensitivity rank ops by sensitivity even when no search needs it (quantize --sensitivity, analyze)
 */
public record AccuracySettings(
        CalibrationMethod calibration,
        double percentile,
        Budget budget,
        Strategy strategy,
        int maxTrials,
        Fallback fallback,
        boolean sensitivity) {

    public enum Strategy {
        NONE,
        GREEDY
    }

    public enum Fallback {
        FLOAT,
        INT16
    }

    public static final int DEFAULT_MAX_TRIALS = 20;

    public AccuracySettings {
        Objects.requireNonNull(calibration, "calibration");
        budget = budget == null ? Budget.none() : budget;
        strategy = strategy == null ? Strategy.NONE : strategy;
        fallback = fallback == null ? Fallback.FLOAT : fallback;
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        if (maxTrials < 1) {
            throw new IllegalArgumentException("max-trials must be at least 1, got " + maxTrials);
        }
        if (strategy == Strategy.GREEDY && budget.isEmpty()) {
            throw new IllegalArgumentException(
                    "the greedy search needs a budget (min-agreement, min-sqnr or " + "max-accuracy-drop)");
        }
    }

    public static AccuracySettings defaults() {
        return new AccuracySettings(
                CalibrationMethod.MINMAX,
                Clipping.DEFAULT_PERCENTILE,
                Budget.none(),
                Strategy.NONE,
                DEFAULT_MAX_TRIALS,
                Fallback.FLOAT,
                false);
    }

    /** True when the run quantizes candidates and measures them before settling on one. */
    public boolean needsTrials() {
        return calibration == CalibrationMethod.AUTO || !budget.isEmpty() || sensitivity;
    }

    public AccuracySettings withCalibration(CalibrationMethod m, double p) {
        return new AccuracySettings(m, p, budget, strategy, maxTrials, fallback, sensitivity);
    }

    public AccuracySettings withBudget(Budget b, Strategy s) {
        return new AccuracySettings(calibration, percentile, b, s, maxTrials, fallback, sensitivity);
    }

    public AccuracySettings withSearch(Strategy s, int trials, Fallback f) {
        return new AccuracySettings(calibration, percentile, budget, s, trials, f, sensitivity);
    }

    public AccuracySettings withSensitivity(boolean on) {
        return new AccuracySettings(calibration, percentile, budget, strategy, maxTrials, fallback, on);
    }
}
