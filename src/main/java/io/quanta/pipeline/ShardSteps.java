package io.quanta.pipeline;

import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.data.Dataset;
import io.quanta.eval.EvaluationResult;
import io.quanta.eval.EvaluationTotals;
import io.quanta.eval.Evaluator;
import io.quanta.eval.TensorPair;
import io.quanta.graph.Model;
import io.quanta.graph.Subgraph;
import io.quanta.interp.SampleBlocks;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;
import io.quanta.storage.Sha256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shard-sized steps of a sharded run: calibrate one slice of the calibration samples, evaluate one slice of the
 * evaluation samples, and put the merged evaluation into the report of the run that quantized without evaluating
 * ({@link Pipeline#run(PipelineRequest, PipelineListener, Pipeline.GivenStats, boolean)}). Shard I of N is the
 * contiguous, block-aligned slice {@link SampleBlocks#shard}, so N shards cover every sample once and, merged in
 * shard order, give exactly what one pass gives (statistics merge exactly; evaluation sums merge exactly per block).
 */
public final class ShardSteps {
    private ShardSteps() {}

    /**
     * What calibration shard {@code index} of {@code count} recorded over samples {@code [from, to)} of the
     * {@code samples} calibration samples: {@code fit} the samples calibrated on, {@code held} auto's held-back samples
     * (every 4th; null unless auto with at least 8 samples).
     */
    public record CalibrationShard(
            String modelSha256,
            int samples,
            int index,
            int count,
            int from,
            int to,
            CalibrationStats fit,
            CalibrationStats held) {}

    /**
     * What evaluation shard {@code index} of {@code count} gathered over samples {@code [from, to)} of the
     * {@code samples} evaluation samples; {@code skipped} says why nothing was evaluated (then totals is null).
     */
    public record EvaluationShard(
            String modelSha256,
            String quantizedSha256,
            int samples,
            int index,
            int count,
            int from,
            int to,
            EvaluationTotals totals,
            String skipped) {}

    /** Calibrates shard {@code index} of {@code count} of the run's calibration samples. */
    public static CalibrationShard calibrate(PipelineRequest req, int index, int count, PipelineListener listener) {
        Pipeline.Clock clock = new Pipeline.Clock(listener);
        Pipeline.Loaded loaded = Pipeline.load(req, listener, clock);
        clock.finish();
        if (loaded.calibrationSet() == null) {
            throw new PipelineException(
                    Stage.LOAD,
                    "DatasetMissing",
                    "calibration shards need a full-integer mode and calibration data",
                    null);
        }
        Subgraph graph = loaded.model().mainGraph();
        Dataset all = loaded.calibrationSet();
        int n = all.size();
        int[] range = SampleBlocks.shard(n, index, count);
        boolean heldBack = Pipeline.heldBack(req.accuracy(), n);
        List<Integer> fit = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int k = range[0]; k < range[1]; k++) {
            (heldBack && k % 4 == 3 ? held : fit).add(k); // Pipeline.holdBack's split, by global index
        }
        clock.start(Stage.CALIBRATE, describe("calibrating", index, count, range, n));
        int done0 = range[0];
        Calibrator calibrator = Pipeline.guard(
                Stage.CALIBRATE,
                () -> (heldBack
                                ? Calibrator.forFloatModel(graph)
                                : Calibrator.forFloatModel(graph, req.accuracy().calibration()))
                        .withThreads(req.threads()));
        Dataset fitSet = all.select(ints(fit));
        CalibrationStats fitStats = Pipeline.guard(
                Stage.CALIBRATE,
                () -> calibrator.run(fitSet, (done, t) -> listener.samplesDone(Stage.CALIBRATE, done, fit.size())));
        CalibrationStats heldStats = null;
        if (heldBack) {
            Dataset heldSet = all.select(ints(held));
            heldStats = Pipeline.guard(
                    Stage.CALIBRATE,
                    () -> calibrator.run(
                            heldSet, (done, t) -> listener.samplesDone(Stage.CALIBRATE, done, held.size())));
        }
        clock.finish();
        return new CalibrationShard(
                Sha256.of(loaded.floatBytes()), n, index, count, range[0], range[1], fitStats, heldStats);
    }

    /** The merged statistics of every shard, checked to be one complete set ({@link ShardSets#check}). */
    public static Pipeline.GivenStats mergeCalibration(List<CalibrationShard> shards, List<String> names) {
        List<ShardSets.Header> headers = new ArrayList<>();
        for (CalibrationShard s : shards) {
            headers.add(
                    new ShardSets.Header(s.modelSha256(), null, s.samples(), s.index(), s.count(), s.from(), s.to()));
        }
        List<Integer> order = ShardSets.check(headers, names, "calibration statistics", Stage.QUANTIZE);
        CalibrationShard first = shards.get(order.get(0));
        CalibrationStats fit = first.fit().copy();
        CalibrationStats held = first.held() == null ? null : first.held().copy();
        for (int k = 1; k < order.size(); k++) {
            CalibrationShard s = shards.get(order.get(k));
            if ((s.held() == null) != (held == null)) {
                throw new PipelineException(
                        Stage.QUANTIZE,
                        "PartialMismatch",
                        names.get(order.get(k)) + " was recorded for another calibration method than "
                                + names.get(order.get(0)),
                        null);
            }
            try {
                fit.mergeIn(s.fit());
                if (held != null) {
                    held.mergeIn(s.held());
                }
            } catch (IllegalArgumentException e) {
                throw new PipelineException(
                        Stage.QUANTIZE, "PartialMismatch", names.get(order.get(k)) + ": " + e.getMessage(), null);
            }
        }
        return new Pipeline.GivenStats(first.modelSha256(), first.samples(), fit, held);
    }

    /**
     * Evaluates shard {@code index} of {@code count} of the run's evaluation samples: the float model (equalized as
     * the run equalizes it) against {@code quantizedModel}, comparing {@code pairs} as the unsharded run does.
     */
    public static EvaluationShard evaluate(
            PipelineRequest req,
            Path quantizedModel,
            List<TensorPair> pairs,
            int index,
            int count,
            PipelineListener l) {
        Pipeline.Clock clock = new Pipeline.Clock(l);
        Pipeline.Loaded loaded = Pipeline.load(req, l, clock);
        byte[] quantBytes = Pipeline.readModelBytes(quantizedModel);
        Model quantModel = Pipeline.parse(quantizedModel, quantBytes);
        clock.finish();
        if (loaded.evalRaw() == null) {
            throw new PipelineException(Stage.LOAD, "DatasetMissing", "evaluation shards need evaluation data", null);
        }
        Subgraph graph = loaded.model().mainGraph();
        Subgraph qGraph = quantModel.mainGraph();
        Dataset raw = loaded.evalRaw();
        int n = raw.size();
        int[] range = SampleBlocks.shard(n, index, count);
        String floatSha = Sha256.of(loaded.floatBytes());
        String quantSha = Sha256.of(quantBytes);
        Evaluator evaluator;
        try {
            evaluator = new Evaluator(graph, FloatKernels.registry(), qGraph, Pipeline.quantizedKernels(), pairs)
                    .withThreads(req.threads());
        } catch (UnsupportedOpException e) {
            return new EvaluationShard(
                    floatSha,
                    quantSha,
                    n,
                    index,
                    count,
                    range[0],
                    range[1],
                    null,
                    "the quantized model cannot run in Quanta's interpreter: " + e.getMessage());
        }
        clock.start(Stage.EVALUATE, describe("evaluating", index, count, range, n));
        // Adapted whole, then sliced: the conversion is planned on sample 0 of the set, as in one pass.
        int[] slice = ints(range);
        Dataset floatSide = Pipeline.adapt(raw, graph, req.preprocessing()).select(slice);
        Dataset quantSide = Pipeline.adapt(raw, qGraph, req.preprocessing()).select(slice);
        EvaluationTotals totals = Pipeline.guard(
                Stage.EVALUATE,
                () -> evaluator.totals(
                        floatSide, quantSide, (done, t) -> l.samplesDone(Stage.EVALUATE, done, slice.length)));
        clock.finish();
        return new EvaluationShard(floatSha, quantSha, n, index, count, range[0], range[1], totals, null);
    }

    /** The merged totals of every shard in shard order (null when the shards skipped evaluation), checked. */
    public static EvaluationTotals mergeEvaluation(List<EvaluationShard> shards, List<String> names) {
        List<ShardSets.Header> headers = new ArrayList<>();
        for (EvaluationShard s : shards) {
            headers.add(new ShardSets.Header(
                    s.modelSha256(), s.quantizedSha256(), s.samples(), s.index(), s.count(), s.from(), s.to()));
        }
        List<Integer> order = ShardSets.check(headers, names, "evaluation tallies", Stage.EVALUATE);
        EvaluationTotals merged = null;
        for (int k : order) {
            EvaluationShard s = shards.get(k);
            if (s.totals() == null) {
                return null;
            }
            try {
                merged = merged == null ? EvaluationTotals.fromJson(s.totals().toJson()) : merged.merge(s.totals());
            } catch (IllegalArgumentException e) {
                throw new PipelineException(
                        Stage.EVALUATE, "PartialMismatch", names.get(k) + ": " + e.getMessage(), null);
            }
        }
        return merged;
    }

    /**
     * Shard {@code index} of {@code count} of {@code quanta eval}'s comparison ({@link Pipeline#evaluate}): the same
     * samples, adapted whole and then sliced, so the merged shards ({@link #mergeComparison}) give its result exactly.
     */
    public static EvaluationShard compareShard(EvalRequest req, int index, int count, PipelineListener l) {
        Pipeline.Clock clock = new Pipeline.Clock(l);
        Pipeline.Comparison c = Pipeline.compare(req, l, clock);
        int n = c.floatSide().size();
        int[] range = SampleBlocks.shard(n, index, count);
        clock.start(Stage.EVALUATE, describe("evaluating", index, count, range, n));
        Evaluator evaluator = c.evaluator(req.threads());
        int[] slice = ints(range);
        EvaluationTotals totals = Pipeline.guard(
                Stage.EVALUATE,
                () -> evaluator.totals(
                        c.floatSide().select(slice),
                        c.quantSide().select(slice),
                        (done, t) -> l.samplesDone(Stage.EVALUATE, done, slice.length)));
        clock.finish();
        return new EvaluationShard(
                Sha256.of(c.floatBytes()),
                Sha256.of(c.quantBytes()),
                n,
                index,
                count,
                range[0],
                range[1],
                totals,
                null);
    }

    /**
     * The comparison of {@code floatFile} with {@code quantFile} from the tallies of every shard of it
     * ({@link #compareShard}), checked to be one complete set of exactly these two models.
     */
    public static EvaluationResult mergeComparison(
            Path floatFile, Path quantFile, List<EvaluationShard> shards, List<String> names) {
        Pipeline.Comparison c = Pipeline.compare(floatFile, quantFile);
        String floatSha = Sha256.of(c.floatBytes());
        String quantSha = Sha256.of(c.quantBytes());
        for (int k = 0; k < shards.size(); k++) {
            EvaluationShard s = shards.get(k);
            if (!floatSha.equals(s.modelSha256()) || !quantSha.equals(s.quantizedSha256())) {
                throw new PipelineException(
                        Stage.EVALUATE,
                        "PartialMismatch",
                        names.get(k) + " compares other models (sha256 " + s.modelSha256() + " and "
                                + s.quantizedSha256() + ") than " + floatFile + " and " + quantFile,
                        null);
            }
        }
        EvaluationTotals totals = mergeEvaluation(shards, names);
        if (totals == null) {
            throw new PipelineException(
                    Stage.EVALUATE, "PartialInvalid", "the tallies hold no evaluation: " + skipped(shards), null);
        }
        return c.evaluator(1).result(totals.samples(), totals);
    }

    /** Why the shards skipped evaluation (the first shard's reason), or null when they evaluated. */
    public static String skipped(List<EvaluationShard> shards) {
        return shards.stream()
                .map(EvaluationShard::skipped)
                .filter(s -> s != null)
                .findFirst()
                .orElse(null);
    }

    /**
     * The report of a run that deferred its evaluation, with the evaluation of the merged shard totals (or the reason
     * it was skipped) and the time the evaluation took; and its summary, as one run gives them.
     */
    public static Pipeline.Outcome withEvaluation(
            PipelineRequest req,
            QuantizationReport deferred,
            Path quantizedModel,
            List<TensorPair> pairs,
            EvaluationTotals totals,
            String skipped,
            long evaluateMs) {
        EvaluationResult evaluation = null;
        String why = deferred.evaluationSkipped();
        if (why == null && skipped != null) {
            why = skipped;
        } else if (why == null && totals != null) {
            byte[] quantBytes = Pipeline.readModelBytes(quantizedModel);
            String sha = Sha256.of(quantBytes);
            if (deferred.files() != null && !sha.equals(deferred.files().outputSha256())) {
                throw new PipelineException(
                        Stage.EVALUATE,
                        "PartialMismatch",
                        quantizedModel + " has sha256 " + sha + ", not that of the model the run wrote ("
                                + deferred.files().outputSha256() + ")",
                        null);
            }
            Subgraph graph = floatModel(req).mainGraph();
            Subgraph qGraph = Pipeline.parse(quantizedModel, quantBytes).mainGraph();
            Evaluator evaluator = Pipeline.guard(
                    Stage.EVALUATE,
                    () -> new Evaluator(graph, FloatKernels.registry(), qGraph, Pipeline.quantizedKernels(), pairs));
            evaluation = evaluator.result(totals.samples(), totals);
        }
        QuantizationReport.Timings t = deferred.timings();
        QuantizationReport.Timings timings = t == null
                ? null
                : new QuantizationReport.Timings(
                        t.loadMs(), t.calibrateMs(), t.quantizeMs(), evaluateMs, t.writeMs(), t.totalMs() + evaluateMs);
        QuantizationReport report = deferred.withEvaluation(evaluation, why, timings);
        RunResult summary = Reports.summary(report);
        return new Pipeline.Outcome(report, summary, quantizedModel, req.reportPath());
    }

    /** The float model as the run uses it: equalized when the run equalizes. */
    private static Model floatModel(PipelineRequest req) {
        Model source = Pipeline.parse(req.model(), Pipeline.readModelBytes(req.model()));
        return req.recipes().equalize()
                ? Pipeline.guard(
                        Stage.LOAD,
                        () -> io.quanta.quantize.recipes.Equalization.equalize(source)
                                .model())
                : source;
    }

    private static String describe(String what, int index, int count, int[] range, int n) {
        return what + " shard " + index + "/" + count + ": samples " + range[0] + ".." + range[1] + " of " + n;
    }

    private static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] ints(int[] range) {
        int[] idx = new int[range[1] - range[0]];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = range[0] + k;
        }
        return idx;
    }
}
