package io.quanta.pipeline;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.eval.TrialFigures;
import io.quanta.quantize.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --calibration auto}: per tensor, the method whose range gives the smallest error at the model output, judged
 * on samples held back from calibration. Trying every method for every tensor would cost methods × tensors trials,
 * so this is a bounded greedy approximation: first the one method that does best for all tensors at once, then, for
 * the tensors where the methods disagree most, each other method in turn, kept when the output improves. A change
 * must raise output SQNR by a margin and keep agreement, so that noise on a few held-back samples does not move
 * the choice away from min/max for nothing.
 */
final class AutoCalibration {
    static final CalibrationMethod[] METHODS = {
        CalibrationMethod.MINMAX, CalibrationMethod.PERCENTILE, CalibrationMethod.MSE, CalibrationMethod.ENTROPY
    };
    /** Per-tensor refinement trials at most. */
    static final int MAX_REFINE_TRIALS = 24;
    /** A change must improve output SQNR by this much (dB). */
    static final double MARGIN_DB = 0.1;

    /** Measures a model quantized with these ranges on the held-back samples. */
    interface Measure {
        TrialFigures of(Map<Integer, Range> ranges);
    }

    record Choice(Map<Integer, CalibrationMethod> methods, CalibrationMethod base, int trials) {}

    private AutoCalibration() {}

    static Choice choose(CalibrationStats fit, double percentile, Measure measure) {
        Map<CalibrationMethod, Map<Integer, Range>> byMethod = new EnumMap<>(CalibrationMethod.class);
        for (CalibrationMethod m : METHODS) {
            byMethod.put(m, RangeChoice.all(fit, m, percentile));
        }
        int trials = 0;
        CalibrationMethod base = CalibrationMethod.MINMAX;
        TrialFigures best = measure.of(byMethod.get(base));
        trials++;
        for (CalibrationMethod m : METHODS) {
            if (m == CalibrationMethod.MINMAX) continue;
            TrialFigures f = measure.of(byMethod.get(m));
            trials++;
            if (better(f, best)) {
                best = f;
                base = m;
            }
        }
        Map<Integer, CalibrationMethod> methods = new HashMap<>();
        Map<Integer, Range> current = new HashMap<>(byMethod.get(base));
        for (Integer t : current.keySet()) {
            methods.put(t, base);
        }
        // The tensors whose ranges differ most between methods, relative to the chosen range's width.
        List<Integer> tensors = new ArrayList<>(current.keySet());
        Map<Integer, Double> spread = new HashMap<>();
        for (Integer t : tensors) {
            Range c = current.get(t);
            double width = Math.max(c.max() - c.min(), 1e-30);
            double d = 0;
            for (CalibrationMethod m : METHODS) {
                Range r = byMethod.get(m).get(t);
                d = Math.max(d, (Math.abs(r.max() - c.max()) + Math.abs(r.min() - c.min())) / width);
            }
            spread.put(t, d);
        }
        tensors.removeIf(t -> spread.get(t) < 0.01);
        tensors.sort(Comparator.comparingDouble((Integer t) -> -spread.get(t)).thenComparingInt(t -> t));
        int refine = 0;
        for (Integer t : tensors) {
            for (CalibrationMethod m : METHODS) {
                if (refine >= MAX_REFINE_TRIALS) break;
                Range r = byMethod.get(m).get(t);
                if (m == methods.get(t) || r.equals(current.get(t))) continue;
                Map<Integer, Range> attempt = new HashMap<>(current);
                attempt.put(t, r);
                TrialFigures f = measure.of(attempt);
                trials++;
                refine++;
                if (better(f, best)) {
                    best = f;
                    current = attempt;
                    methods.put(t, m);
                }
            }
        }
        return new Choice(methods, base, trials);
    }

    /** Higher output SQNR by the margin, and no lower agreement or top-1. */
    static boolean better(TrialFigures a, TrialFigures b) {
        boolean agreement =
                Double.isNaN(a.agreement()) || Double.isNaN(b.agreement()) || a.agreement() >= b.agreement();
        boolean top1 = a.labelled() == 0 || b.labelled() == 0 || a.quantizedTop1() >= b.quantizedTop1();
        return AccuracySearch.damageOrder(a.sqnrDb()) > AccuracySearch.damageOrder(b.sqnrDb()) + MARGIN_DB
                && agreement
                && top1;
    }
}
