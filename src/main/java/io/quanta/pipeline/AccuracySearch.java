package io.quanta.pipeline;

import io.quanta.eval.TrialFigures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The budgeted search over which ops stay float, as pure decisions over a trial runner: quantize with the user's
 * settings (the baseline); if the budget does not hold, rank the int8 ops by sensitivity, then keep the most
 * sensitive ones float, one more per trial, until it holds; then drop every op the budget can do without. The
 * answer is the trial with the fewest non-int8 ops that meets the budget, or, when none does, the one closest to it.
 *
 * <p>Sensitivity of an op is measured with that op alone quantized and every other candidate float: the output
 * movement it causes on its own, which compounding errors elsewhere cannot hide (with one op alone kept float, two
 * ops that each ruin the output look harmless). One trial per op, at most {@link #MAX_SENSITIVITY_OPS} ops.
 */
final class AccuracySearch {
    /** Bounds the sensitivity pass on large models: the first ops in graph order beyond this are not ranked. */
    static final int MAX_SENSITIVITY_OPS = 64;

    /** One candidate model, measured. */
    record Trial(
            int number,
            String kind,
            List<Integer> floatOps,
            int nonInt8Ops,
            TrialFigures figures,
            boolean meets,
            long millis) {}

    /** Quantizes with the user's keep-float ops plus {@code extraFloatOps}, and measures the result. */
    interface Runner {
        Trial run(int number, String kind, List<Integer> extraFloatOps);
    }

    /** An op's sensitivity: the figures with it alone quantized. */
    record Sensitivity(int op, TrialFigures figures) {}

    record Result(Trial chosen, boolean met, List<Trial> trials, List<Sensitivity> ranking) {}

    private final Budget budget;
    private final AccuracySettings settings;
    private final Runner runner;
    private final List<Trial> trials = new ArrayList<>();

    AccuracySearch(AccuracySettings settings, Runner runner) {
        this.settings = settings;
        this.budget = settings.budget();
        this.runner = runner;
    }

    /**
     * @param candidates ops the baseline runs in int8 (the ones the search may keep float), in graph order
     */
    Result run(List<Integer> candidates) {
        Trial baseline = trial("baseline", List.of());
        boolean search =
                settings.strategy() == AccuracySettings.Strategy.GREEDY && !budget.isEmpty() && !baseline.meets();
        List<Sensitivity> ranking = List.of();
        if (settings.sensitivity() || search) {
            ranking = sensitivity(candidates);
        }
        if (!search) {
            return new Result(baseline, budget.isEmpty() || baseline.meets(), List.copyOf(trials), ranking);
        }
        List<Integer> kept = new ArrayList<>();
        Trial met = null;
        int budgetLeft = settings.maxTrials();
        for (Sensitivity s : ranking) {
            if (budgetLeft == 0) break;
            kept.add(s.op());
            Trial t = trial("greedy", List.copyOf(kept));
            budgetLeft--;
            if (t.meets()) {
                met = t;
                break;
            }
        }
        if (met != null) {
            // Fewest ops: drop each kept op (least sensitive first) whose absence the budget tolerates.
            for (int k = kept.size() - 2; k >= 0 && budgetLeft > 0; k--) {
                List<Integer> without = new ArrayList<>(kept);
                without.remove(k);
                Trial t = trial("prune", List.copyOf(without));
                budgetLeft--;
                if (t.meets()) {
                    kept = without;
                    met = t;
                }
            }
        }
        Trial chosen = met != null ? best(true) : best(false);
        return new Result(chosen, met != null, List.copyOf(trials), ranking);
    }

    private List<Sensitivity> sensitivity(List<Integer> candidates) {
        List<Integer> ops = candidates.subList(0, Math.min(candidates.size(), MAX_SENSITIVITY_OPS));
        List<Sensitivity> out = new ArrayList<>();
        for (int op : ops) {
            List<Integer> others = new ArrayList<>(ops);
            others.remove(Integer.valueOf(op));
            out.add(new Sensitivity(op, trial("sensitivity", others).figures()));
        }
        out.sort(Comparator.comparingDouble(
                        (Sensitivity s) -> damageOrder(s.figures().sqnrDb()))
                .thenComparingDouble(s ->
                        Double.isNaN(s.figures().agreement()) ? 1 : s.figures().agreement())
                .thenComparingInt(Sensitivity::op));
        return out;
    }

    /** SQNR for ranking: NaN (the output went non-finite) is the worst there is. */
    static double damageOrder(double sqnrDb) {
        return Double.isNaN(sqnrDb) ? Double.NEGATIVE_INFINITY : sqnrDb;
    }

    private Trial trial(String kind, List<Integer> extra) {
        Trial t = runner.run(trials.size(), kind, extra);
        trials.add(t);
        return t;
    }

    /**
     * Among the trials that are real candidates (not sensitivity probes): those meeting the budget with the fewest
     * non-int8 ops, best figures first; else the one closest to the budget.
     */
    private Trial best(boolean meeting) {
        Comparator<Trial> order = meeting
                ? Comparator.comparingInt(Trial::nonInt8Ops)
                        .thenComparingDouble(t -> -damageOrder(t.figures().sqnrDb()))
                : Comparator.comparingDouble((Trial t) -> budget.shortfall(t.figures()))
                        .thenComparingInt(Trial::nonInt8Ops);
        return trials.stream()
                .filter(t -> !t.kind().equals("sensitivity") && t.meets() == meeting)
                .min(order)
                .orElse(trials.get(0));
    }
}
