package io.quanta.pipeline;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.calibrate.TensorStats;
import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.DatasetPreparation;
import io.quanta.data.DatasetReading;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.Labels;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.Preprocessing;
import io.quanta.data.Sampling;
import io.quanta.eval.EvaluationResult;
import io.quanta.eval.Evaluator;
import io.quanta.eval.TensorPair;
import io.quanta.eval.TensorPairing;
import io.quanta.eval.TrialFigures;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.Subgraph;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int16.Int16Kernels;
import io.quanta.kernels.int8.Int8Kernels;
import io.quanta.quantize.OpReport;
import io.quanta.quantize.OpSelection;
import io.quanta.quantize.QuantizableOps;
import io.quanta.quantize.QuantizationMode;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.Quantizer;
import io.quanta.quantize.Range;
import io.quanta.quantize.TensorRanges;
import io.quanta.quantize.UnquantizableOpsException;
import io.quanta.quantize.recipes.BiasCorrection;
import io.quanta.quantize.recipes.Equalization;
import io.quanta.quantize.recipes.Recipes;
import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;
import io.quanta.storage.Sha256;
import io.quanta.tflite.ModelFormatException;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One quantization run: read the model and the data, calibrate, quantize, evaluate, write the model and the
 * report. The stages do the work (io.quanta.calibrate, quantize, eval); this class only sequences them, times
 * them, and reads and writes files at the start and the end. Every failure comes out as a
 * {@link PipelineException} naming its stage.
 */
public final class Pipeline {
    /** What a run produced. */
    public record Outcome(QuantizationReport report, RunResult summary, Path model, Path reportFile) {}

    /** The kernels the quantized model is evaluated with: int8 where the model is int8, float elsewhere. */
    public static KernelRegistry quantizedKernels() {
        return FloatKernels.registry().with(Int8Kernels.registry()).with(Int16Kernels.registry());
    }

    private Pipeline() {}

    /** What each prepared dataset is for, in the stderr lines and the report. */
    static final String CALIBRATION = "calibration";

    static final String EVALUATION = "evaluation";
    static final String EVALUATION_QUANTIZED = "evaluation of the quantized model";

    public static Outcome run(PipelineRequest req, PipelineListener listener) {
        return run(req, listener, null, false).outcome();
    }

    /**
     * Calibration statistics given from outside (merged from shards) instead of a calibration pass: {@code fit} is
     * what the samples calibrated on recorded, {@code held} what auto calibration's held-back samples (every 4th)
     * recorded (null unless the method is auto with at least 8 samples). {@code samples} is the calibration set's size
     * and {@code modelSha256} the float model's, both checked against the run's.
     */
    public record GivenStats(String modelSha256, int samples, CalibrationStats fit, CalibrationStats held) {}

    /** A run's outcome and the tensor pairs its evaluation compares (float tensor for each quantized tensor). */
    public record Ran(Outcome outcome, List<TensorPair> pairs, String floatSha256, String evaluationSkipped) {}

    /**
     * One run; with {@code given} the calibration pass is replaced by those statistics, and with
     * {@code deferEvaluation} the final evaluation is left to evaluation shards ({@link #evaluateShard}) and
     * {@link #withEvaluation} (the report then has no evaluation yet; everything else is as one run writes it).
     */
    public static Ran run(PipelineRequest req, PipelineListener listener, GivenStats given, boolean deferEvaluation) {
        long start = System.nanoTime();
        Clock clock = new Clock(listener);
        Loaded loaded = load(req, listener, clock);
        byte[] floatBytes = loaded.floatBytes();
        Model source = loaded.source();
        Recipes recipes = req.recipes();
        Equalization.Result equalized = loaded.equalized();
        Model model = loaded.model();
        Subgraph graph = model.mainGraph();
        AccuracySettings acc = req.accuracy();
        Dataset calibrationRaw = loaded.calibrationRaw();
        Dataset calibrationSet = loaded.calibrationSet();
        List<DatasetPreparation> prepared = loaded.prepared();
        Dataset evalRaw = loaded.evalRaw();
        DatasetPreparation evalPrepared = loaded.evalPrepared();
        long loadMs = clock.finish();

        // CALIBRATE (auto holds back every 4th sample to judge the methods on)
        CalibrationStats stats = null;
        CalibrationStats fitStats = null;
        Dataset heldRaw = null;
        long calibrateMs = 0;
        if (calibrationSet != null && given != null) {
            clock.start(Stage.CALIBRATE, "using calibration statistics of " + given.samples() + " samples");
            checkGiven(given, floatBytes, calibrationSet.size(), heldBack(acc, calibrationSet.size()));
            fitStats = given.fit();
            stats = given.held() == null ? fitStats : fitStats.merge(given.held());
            heldRaw = given.held() == null ? calibrationRaw : calibrationRaw.select(holdBack(calibrationSet.size())[1]);
            calibrateMs = clock.finish();
        } else if (calibrationSet != null) {
            clock.start(Stage.CALIBRATE, "calibrating on " + calibrationSet.size() + " samples");
            Dataset samples = calibrationSet;
            if (heldBack(acc, samples.size())) {
                int[][] split = holdBack(samples.size());
                Dataset fit = samples.select(split[0]);
                Dataset held = samples.select(split[1]);
                int total = samples.size();
                fitStats = guard(
                        Stage.CALIBRATE,
                        () -> Calibrator.forFloatModel(graph)
                                .withThreads(req.threads())
                                .run(fit, (done, n) -> listener.samplesDone(Stage.CALIBRATE, done, total)));
                CalibrationStats heldStats = guard(
                        Stage.CALIBRATE,
                        () -> Calibrator.forFloatModel(graph)
                                .withThreads(req.threads())
                                .run(
                                        held,
                                        (done, n) -> listener.samplesDone(Stage.CALIBRATE, fit.size() + done, total)));
                stats = fitStats.merge(heldStats);
                heldRaw = calibrationRaw.select(split[1]);
            } else {
                stats = guard(
                        Stage.CALIBRATE,
                        () -> Calibrator.forFloatModel(graph, acc.calibration())
                                .withThreads(req.threads())
                                .run(samples, (done, total) -> listener.samplesDone(Stage.CALIBRATE, done, total)));
                fitStats = stats;
                heldRaw = calibrationRaw;
            }
            calibrateMs = clock.finish();
        }

        // SEARCH: ranges per the calibration method, then the budget, the sensitivity ranking and the search
        long searchStart = System.nanoTime();
        TensorRanges ranges = stats == null ? TensorRanges.none() : rangesOf(stats);
        QuantizationOptions options = req.options();
        AutoCalibration.Choice auto = null;
        AccuracySearch.Result search = null;
        List<OpReport> baselineOps = List.of();
        List<Integer> searchable = List.of();
        List<String> opNames = List.of();
        if (stats != null && acc.calibration() != CalibrationMethod.MINMAX) {
            clock.start(Stage.QUANTIZE, "choosing ranges (" + acc.calibration().label() + ")");
            if (acc.calibration() == CalibrationMethod.AUTO) {
                Dataset heldSet = heldRaw;
                Candidates held =
                        guard(Stage.QUANTIZE, () -> new Candidates(model, heldSet, req.preprocessing(), req.threads()));
                QuantizationOptions trialOptions = relaxed(options);
                CalibrationStats fs = fitStats;
                auto = guard(
                        Stage.QUANTIZE,
                        () -> AutoCalibration.choose(
                                fs,
                                acc.percentile(),
                                r -> held.measure(held.quantize(RangeChoice.of(r), trialOptions))));
                ranges = RangeChoice.of(RangeChoice.mixed(stats, auto.methods(), auto.base(), acc.percentile()));
            } else {
                ranges = RangeChoice.of(RangeChoice.all(stats, acc.calibration(), acc.percentile()));
            }
            clock.finish();
        }
        if (stats != null && (!acc.budget().isEmpty() || acc.sensitivity())) {
            if (evalRaw == null) {
                throw new PipelineException(
                        Stage.LOAD,
                        "DatasetMissing",
                        "the accuracy budget and sensitivity analysis " + "need evaluation data",
                        null);
            }
            clock.start(
                    Stage.EVALUATE, "searching (" + acc.budget().describe() + ") on " + evalRaw.size() + " samples");
            Dataset trialRaw = evalRaw;
            Candidates candidates =
                    guard(Stage.EVALUATE, () -> new Candidates(model, trialRaw, req.preprocessing(), req.threads()));
            if (acc.budget().minAgreement() != null && !candidates.evaluator().hasClassScores()) {
                throw new PipelineException(
                        Stage.EVALUATE,
                        "InvalidBudget",
                        "min-agreement needs a model whose output 0 " + "holds class scores; use min-sqnr",
                        null);
            }
            TensorRanges chosen = ranges;
            QuantizationOptions base = options;
            QuantizationResult baseline = guard(Stage.QUANTIZE, () -> candidates.quantize(chosen, base));
            boolean toInt16 = acc.fallback() == AccuracySettings.Fallback.INT16;
            // The search moves int8 ops: to float, or (fallback int16) to int16 where TFLite runs the op in 16x8.
            List<Integer> int8Ops = baseline.ops().stream()
                    .filter(o -> o.outcome() == OpReport.Outcome.QUANTIZED && o.activations() == DataType.INT8)
                    .filter(o -> !toInt16 || QuantizableOps.runsInInt16(o.opType()))
                    .map(OpReport::index)
                    .toList();
            baselineOps = baseline.ops();
            searchable = int8Ops;
            search = guard(
                    Stage.EVALUATE,
                    () -> new AccuracySearch(acc, (number, kind, extra) -> {
                                long t0 = System.nanoTime();
                                // Sensitivity probes keep many ops float, which int8-only would refuse: they run as
                                // int8.
                                QuantizationOptions o = toInt16
                                        ? withExtraInt16(base, extra)
                                        : withExtraFloat(kind.equals("sensitivity") ? relaxed(base) : base, extra);
                                QuantizationResult q = candidates.quantize(chosen, o);
                                TrialFigures f = candidates.measure(q);
                                return new AccuracySearch.Trial(
                                        number,
                                        kind,
                                        extra,
                                        Candidates.nonInt8Ops(q),
                                        f,
                                        acc.budget().isEmpty() || acc.budget().holds(f),
                                        (System.nanoTime() - t0) / 1_000_000);
                            })
                            .run(int8Ops));
            options = toInt16
                    ? withExtraInt16(options, search.chosen().floatOps())
                    : withExtraFloat(options, search.chosen().floatOps());
            clock.finish();
        }
        long searchMs = (System.nanoTime() - searchStart) / 1_000_000;
        if (search != null || !options.keepFloat().isEmpty()) {
            opNames = Quantizer.opNames(model);
        }
        if (search != null && !search.met()) {
            AccuracySearch.Trial best = search.chosen();
            boolean toInt16Fallback = acc.fallback() == AccuracySettings.Fallback.INT16;
            List<String> names = opNames;
            throw new PipelineException(
                    Stage.EVALUATE,
                    "AccuracyBudgetNotMet",
                    "accuracy budget not met ("
                            + acc.budget().describe() + ") after "
                            + search.trials().size() + " trial(s); best: trial " + best.number()
                            + (best.floatOps().isEmpty()
                                    ? ""
                                    : (toInt16Fallback ? " moving " : " keeping ")
                                            + best.floatOps().stream()
                                                    .map(names::get)
                                                    .toList()
                                            + (toInt16Fallback ? " to int16" : " float"))
                            + " (" + best.nonInt8Ops() + " non-int8 op(s)): " + Budget.describe(best.figures())
                            + (toInt16Fallback
                                    ? Int16Fallback.shortfall(
                                            search.trials().stream()
                                                    .filter(t -> !t.kind().equals("sensitivity"))
                                                    .map(AccuracySearch.Trial::floatOps)
                                                    .toList(),
                                            searchable,
                                            baselineOps,
                                            names::get)
                                    : ""),
                    null);
        }

        // QUANTIZE (the serialized bytes are what gets written and measured)
        clock.start(Stage.QUANTIZE, "quantizing (" + req.options().mode().name().toLowerCase() + ")");
        TensorRanges finalRanges = ranges;
        QuantizationOptions finalOptions = options;
        QuantizationResult quantized =
                guard(Stage.QUANTIZE, () -> Quantizer.quantize(model, finalRanges, finalOptions));
        BiasCorrection.Result corrected = null;
        if (recipes.biasCorrection()) {
            Dataset floatSide = calibrationSet;
            Dataset quantSide = adapt(calibrationRaw, quantized.model().mainGraph(), req.preprocessing());
            corrected = guard(
                    Stage.QUANTIZE,
                    () -> BiasCorrection.correct(
                            graph, FloatKernels.registry(), quantized, quantizedKernels(), floatSide, quantSide));
        }
        QuantizationResult result = corrected == null ? quantized : corrected.result();
        byte[] quantizedBytes = guard(Stage.QUANTIZE, () -> ModelWriter.write(result.model()));
        long quantizeMs = clock.finish();
        List<QuantizationReport.RecipeFigures> recipeFigures = List.of();
        if (recipes.any() && evalRaw != null && req.evaluate()) {
            clock.start(Stage.EVALUATE, "measuring " + recipes.label() + " against plain rounding");
            Dataset calibrated = calibrationSet;
            Dataset measured = evalRaw;
            recipeFigures = guard(
                    Stage.EVALUATE,
                    () -> RecipeFigures.measure(
                            req, source, calibrated, measured, finalOptions, equalized != null, quantized, result));
            clock.finish();
        }

        // EVALUATE
        EvaluationResult evaluation = null;
        String skipped = req.evaluate() ? (evalRaw == null ? "no evaluation data" : null) : "not requested";
        long evaluateMs = 0;
        int evalSamples = 0;
        if (evalRaw != null && req.evaluate()) {
            clock.start(Stage.EVALUATE, "evaluating on " + evalRaw.size() + " samples");
            Subgraph qGraph = result.model().mainGraph();
            List<TensorPair> pairs = evaluationPairs(result);
            Evaluator evaluator = null;
            try {
                evaluator = new Evaluator(graph, FloatKernels.registry(), qGraph, quantizedKernels(), pairs)
                        .withThreads(req.threads());
            } catch (UnsupportedOpException e) {
                skipped = "the quantized model cannot run in Quanta's interpreter: " + e.getMessage();
            }
            if (evaluator != null && deferEvaluation) {
                // What the evaluation shards will need is known: the report lists the quantized side's preparation.
                quantizedSide(evalPrepared, adapt(evalRaw, qGraph, req.preprocessing()), listener)
                        .ifPresent(prepared::add);
                evalSamples = evalRaw.size();
            } else if (evaluator != null) {
                Evaluator ev = evaluator;
                Dataset floatSide = adapt(evalRaw, graph, req.preprocessing());
                ModelInputAdapter quantSide = adapt(evalRaw, qGraph, req.preprocessing());
                quantizedSide(evalPrepared, quantSide, listener).ifPresent(prepared::add);
                evaluation = guard(
                        Stage.EVALUATE,
                        () -> ev.run(
                                floatSide,
                                quantSide,
                                (done, total) -> listener.samplesDone(Stage.EVALUATE, done, total)));
                evalSamples = evalRaw.size();
            }
            evaluateMs = clock.finish();
        }

        // WRITE: the model, then the report that describes it.
        clock.start(Stage.WRITE, "writing " + req.output());
        write(req.output(), quantizedBytes);
        long writeMs = clock.finish();
        QuantizationReport.Timings timings = new QuantizationReport.Timings(
                loadMs, calibrateMs, quantizeMs, evaluateMs, writeMs, (System.nanoTime() - start) / 1_000_000);
        QuantizationReport report = Reports.report(new Reports.Parts(
                req,
                Sha256.of(quantizedBytes),
                floatBytes.length,
                quantizedBytes.length,
                stats,
                calibrationSet == null ? 0 : calibrationSet.size(),
                result,
                evaluation,
                skipped,
                evalSamples,
                timings,
                Reports.accuracy(acc, auto, search, result, opNames, searchMs),
                prepared));
        if (recipes.any()) {
            report = report.withRecipes(Reports.recipes(equalized, corrected, recipeFigures));
        }
        Path reportFile = req.reportPath();
        write(reportFile, Reports.toJson(report).getBytes(StandardCharsets.UTF_8));
        return new Ran(
                new Outcome(report, Reports.summary(report), req.output(), reportFile),
                evaluationPairs(result),
                Sha256.of(floatBytes),
                skipped);
    }

    /** The pairs the final evaluation compares: each quantized tensor with the float tensor it came from. */
    private static List<TensorPair> evaluationPairs(QuantizationResult result) {
        return result.tensors().stream()
                .map(t -> new TensorPair(t.index(), t.sourceIndex()))
                .toList();
    }

    /** Whether calibration keeps auto's held-back samples apart (auto, with at least 8 samples). */
    static boolean heldBack(AccuracySettings acc, int samples) {
        return acc.calibration() == CalibrationMethod.AUTO && samples >= 8;
    }

    /** Statistics given from shards must be of this model, of as many samples, split as this run splits them. */
    private static void checkGiven(GivenStats given, byte[] floatBytes, int samples, boolean heldBack) {
        String sha = Sha256.of(floatBytes);
        if (!sha.equals(given.modelSha256())) {
            throw new PipelineException(
                    Stage.CALIBRATE,
                    "PartialMismatch",
                    "the calibration statistics are of model sha256 " + given.modelSha256() + ", not of this model ("
                            + sha + ")",
                    null);
        }
        if (given.samples() != samples) {
            throw new PipelineException(
                    Stage.CALIBRATE,
                    "PartialMismatch",
                    "the calibration statistics cover " + given.samples() + " samples but this run calibrates on "
                            + samples + " (same --samples, seed and data needed)",
                    null);
        }
        if (heldBack != (given.held() != null)) {
            throw new PipelineException(
                    Stage.CALIBRATE,
                    "PartialMismatch",
                    "the calibration statistics were recorded for another calibration method (auto keeps its "
                            + "held-back samples apart)",
                    null);
        }
    }

    /**
     * Float against quantized model files on one dataset, for {@code quanta eval}: tensors are paired by name; on
     * {@code req.threads()} worker threads (0: every processor), the result the same whatever their number.
     */
    public static EvaluationResult evaluate(EvalRequest req, PipelineListener listener) {
        Clock clock = new Clock(listener);
        Comparison c = compare(req, listener, clock);
        clock.start(Stage.EVALUATE, "evaluating on " + c.floatSide().size() + " samples");
        Evaluator evaluator = c.evaluator(req.threads());
        EvaluationResult r = guard(
                Stage.EVALUATE,
                () -> evaluator.run(
                        c.floatSide(),
                        c.quantSide(),
                        (done, total) -> listener.samplesDone(Stage.EVALUATE, done, total)));
        clock.finish();
        return r;
    }

    /**
     * What {@link #evaluate} compares: both models, and the evaluation samples adapted to each (whole, before a shard
     * slices them: the conversion is planned on sample 0 of the set); no samples when only tallies are merged.
     */
    record Comparison(
            byte[] floatBytes,
            byte[] quantBytes,
            Subgraph floatGraph,
            Subgraph quantGraph,
            Dataset floatSide,
            Dataset quantSide) {
        /** The evaluator of the two models, tensors paired by name. */
        Evaluator evaluator(int threads) {
            return guard(
                    Stage.EVALUATE,
                    () -> new Evaluator(
                                    floatGraph,
                                    FloatKernels.registry(),
                                    quantGraph,
                                    quantizedKernels(),
                                    TensorPairing.byName(floatGraph, quantGraph))
                            .withThreads(threads));
        }
    }

    /** LOAD of {@link #evaluate}: the models and the samples. */
    static Comparison compare(EvalRequest req, PipelineListener listener, Clock clock) {
        Path floatFile = req.floatModel();
        Path quantFile = req.quantizedModel();
        Preprocessing pre = req.preprocessing();
        int samples = req.samples();
        Long seed = req.seed();
        clock.start(Stage.LOAD, "reading " + floatFile + " and " + quantFile);
        Comparison models = compare(floatFile, quantFile);
        Subgraph fGraph = models.floatGraph();
        Subgraph qGraph = models.quantGraph();
        Dataset all = openRaw(req.data(), req.labels(), fGraph, pre.reading());
        Dataset raw = take(all, samples, seed, "evaluation samples (--samples)");
        ModelInputAdapter floatSide = adapt(raw, fGraph, pre);
        DatasetPreparation floatPrepared = floatSide.preparation(EVALUATION, all.size(), samples, seed);
        listener.datasetPrepared(floatPrepared);
        ModelInputAdapter quantSide = adapt(raw, qGraph, pre);
        quantizedSide(floatPrepared, quantSide, listener);
        clock.finish();
        return new Comparison(models.floatBytes(), models.quantBytes(), fGraph, qGraph, floatSide, quantSide);
    }

    /** The two models, checked to be a float model and a version of it; no samples. */
    static Comparison compare(Path floatFile, Path quantFile) {
        byte[] floatBytes = readModelBytes(floatFile);
        byte[] quantBytes = readModelBytes(quantFile);
        Subgraph fGraph = parse(floatFile, floatBytes).mainGraph();
        Subgraph qGraph = parse(quantFile, quantBytes).mainGraph();
        if (fGraph.inputs().length != qGraph.inputs().length || fGraph.outputs().length != qGraph.outputs().length) {
            throw new PipelineException(
                    Stage.LOAD,
                    "ModelMismatch",
                    quantFile + " has " + qGraph.inputs().length + " input(s) and "
                            + qGraph.outputs().length + " output(s) but " + floatFile + " has " + fGraph.inputs().length
                            + " and "
                            + fGraph.outputs().length + ": not a quantized version of it",
                    null);
        }
        return new Comparison(floatBytes, quantBytes, fGraph, qGraph, null, null);
    }

    /** What the LOAD stage read and prepared; {@code prepared} grows as later stages prepare more data. */
    record Loaded(
            byte[] floatBytes,
            Model source,
            Equalization.Result equalized,
            Model model,
            Dataset calibrationRaw,
            Dataset calibrationSet,
            List<DatasetPreparation> prepared,
            Dataset evalRaw,
            DatasetPreparation evalPrepared) {}

    /** LOAD: the model, the calibration samples and the evaluation set, prepared for the model's inputs. */
    static Loaded load(PipelineRequest req, PipelineListener listener, Clock clock) {
        clock.start(Stage.LOAD, "reading " + req.model());
        byte[] floatBytes = readModelBytes(req.model());
        Model source = parse(req.model(), floatBytes);
        Recipes recipes = req.recipes();
        checkRecipes(req);
        // Equalization keeps the float function: every later stage works on the equalized model.
        Equalization.Result equalized =
                recipes.equalize() ? guard(Stage.LOAD, () -> Equalization.equalize(source)) : null;
        Model model = equalized == null ? source : equalized.model();
        Subgraph graph = model.mainGraph();
        boolean needsData = req.options().mode().isFullInteger();
        if (needsData && req.datasets().isEmpty()) {
            throw new PipelineException(
                    Stage.LOAD,
                    "DatasetMissing",
                    "mode " + req.options().mode().name().toLowerCase() + " needs calibration data (--dataset)",
                    null);
        }
        AccuracySettings acc = req.accuracy();
        checkAccuracySettings(req, graph);
        Dataset calibrationRaw = null;
        Dataset calibrationSet = null;
        List<DatasetPreparation> prepared = new ArrayList<>();
        if (needsData) {
            Dataset raw = openRaw(
                    req.datasets(), req.labels(), graph, req.preprocessing().reading());
            calibrationRaw =
                    take(raw, req.samples(), req.sampleSeed(), "calibration samples (--samples, calibration.samples)");
            ModelInputAdapter adapted = adapt(calibrationRaw, graph, req.preprocessing());
            calibrationSet = adapted;
            DatasetPreparation p = adapted.preparation(CALIBRATION, raw.size(), req.samples(), req.sampleSeed());
            prepared.add(p);
            listener.datasetPrepared(p);
        }
        Dataset evalRaw = null;
        DatasetPreparation evalPrepared = null;
        if (req.evaluate() || acc.needsTrials()) {
            List<Path> evalPaths = req.evalDatasets().isEmpty() ? req.datasets() : req.evalDatasets();
            Path evalLabels =
                    req.evalDatasets().isEmpty() && req.evalLabels() == null ? req.labels() : req.evalLabels();
            if (!evalPaths.isEmpty()) {
                DatasetReading reading = req.evalDatasets().isEmpty()
                        ? req.preprocessing().reading()
                        : req.preprocessing().evalReading();
                Dataset all = openRaw(evalPaths, evalLabels, graph, reading);
                evalRaw = take(all, req.evalSamples(), null, "evaluation samples (--eval-samples, evaluation.samples)");
                // fail now, not after calibrating, on data the model cannot take
                evalPrepared = adapt(evalRaw, graph, req.preprocessing())
                        .preparation(EVALUATION, all.size(), req.evalSamples(), null);
                prepared.add(evalPrepared);
                listener.datasetPrepared(evalPrepared);
            }
        }
        if (acc.budget().maxAccuracyDrop() != null && (evalRaw == null || !evalRaw.hasLabels())) {
            throw new PipelineException(
                    Stage.LOAD,
                    "LabelsMissing",
                    "max-accuracy-drop needs labels for the evaluation "
                            + "data (--labels or --eval-labels); min-agreement and min-sqnr do not",
                    null);
        }
        return new Loaded(
                floatBytes, source, equalized, model, calibrationRaw, calibrationSet, prepared, evalRaw, evalPrepared);
    }

    /** Trials that keep ops float run as int8 when the user asked for int8-only; 16x8 stays 16x8. */
    private static QuantizationOptions relaxed(QuantizationOptions o) {
        return o.mode() == QuantizationMode.INT8_ONLY ? o.withMode(QuantizationMode.INT8) : o;
    }

    /** The options with ops {@code extra} (by index) in int16 (16x8) as well. */
    private static QuantizationOptions withExtraInt16(QuantizationOptions o, List<Integer> extra) {
        if (extra.isEmpty()) {
            return o;
        }
        List<String> selectors = new ArrayList<>(o.int16Ops());
        extra.forEach(i -> selectors.add("#" + i));
        return o.withInt16Ops(selectors);
    }

    /** The options with ops {@code extra} (by index) kept float as well. */
    private static QuantizationOptions withExtraFloat(QuantizationOptions o, List<Integer> extra) {
        if (extra.isEmpty()) {
            return o;
        }
        List<String> selectors = new ArrayList<>(o.keepFloat());
        extra.forEach(i -> selectors.add("#" + i));
        return o.withKeepFloat(selectors);
    }

    /** Indices of the samples auto calibrates on, and of every 4th, held back to judge the methods on. */
    static int[][] holdBack(int n) {
        int held = n / 4;
        int[] fit = new int[n - held];
        int[] back = new int[held];
        int f = 0;
        int b = 0;
        for (int k = 0; k < n; k++) {
            if (k % 4 == 3) back[b++] = k;
            else fit[f++] = k;
        }
        return new int[][] {fit, back};
    }

    /** Settings that cannot work together, refused before any work. */
    private static void checkAccuracySettings(PipelineRequest req, Subgraph graph) {
        AccuracySettings acc = req.accuracy();
        QuantizationMode mode = req.options().mode();
        boolean integer = mode.isFullInteger();
        boolean custom = acc.calibration() != CalibrationMethod.MINMAX
                || acc.needsTrials()
                || !req.options().keepFloat().isEmpty();
        if (!integer && custom) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSettings",
                    "calibration methods, keep-float, budgets and the " + "search need mode int8, int8-only or "
                            + "int16x8, not "
                            + mode.name().toLowerCase(java.util.Locale.ROOT),
                    null);
        }
        if (mode == QuantizationMode.INT8_ONLY
                && (!req.options().keepFloat().isEmpty() || acc.strategy() == AccuracySettings.Strategy.GREEDY)) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSettings",
                    "keep-float and the greedy search keep ops float, " + "which mode int8-only forbids: use mode int8",
                    null);
        }
        if (!req.options().keepFloat().isEmpty()) {
            try {
                OpSelection.resolve(graph, graph.operators(), req.options().keepFloat());
            } catch (OpSelection.UnknownOpException e) {
                throw new PipelineException(Stage.LOAD, "UnknownOp", e.getMessage(), null);
            }
        }
    }

    /** Recipes that cannot work with the mode, refused before any work. */
    private static void checkRecipes(PipelineRequest req) {
        QuantizationMode mode = req.options().mode();
        boolean integer = mode == QuantizationMode.INT8 || mode == QuantizationMode.INT8_ONLY;
        if (req.recipes().biasCorrection() && !integer) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidSettings",
                    "bias correction corrects int8 biases: it needs mode int8 or int8-only, not "
                            + mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    null);
        }
    }

    /** {@link #adapt} for the stages that prepare samples for a candidate model. */
    static Dataset adaptForRun(Dataset raw, Subgraph graph, Preprocessing pre) {
        return adapt(raw, graph, pre);
    }

    /** The calibrated range of each recorded tensor, for the quantizer. */
    static TensorRanges rangesOf(CalibrationStats stats) {
        return index -> {
            TensorStats t = stats.get(index);
            return t == null || t.count() == 0 ? null : new Range(t.min(), t.max());
        };
    }

    // ------------------------------------------------------------------ edges

    static byte[] readModelBytes(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PipelineException(
                    Stage.LOAD,
                    "ModelNotFound",
                    (Files.isDirectory(file) ? "model path is a directory, not a file: " : "model file not found: ")
                            + file,
                    null);
        }
        try {
            long size = Files.size(file);
            ModelReader.checkFitsHeap(file, size);
            if (size > Integer.MAX_VALUE - 16) {
                throw new ModelFormatException(file + ": model file of " + size
                        + " bytes: quantizing models over 2 GiB is not supported (the flatbuffer's 32-bit offsets)");
            }
            byte[] bytes = Files.readAllBytes(file);
            ModelReader.checkFitsHeap(file, bytes.length); // it grew since it was measured
            return bytes;
        } catch (ModelFormatException e) {
            throw new PipelineException(Stage.LOAD, "ModelTooLarge", e.getMessage(), e);
        } catch (IOException e) {
            throw new PipelineException(
                    Stage.LOAD, "ModelNotReadable", "cannot read model " + file + ": " + e.getMessage(), e);
        }
    }

    static Model parse(Path file, byte[] bytes) {
        try {
            Model m = ModelReader.read(bytes);
            if (m.subgraphs().isEmpty()) {
                throw new ModelFormatException(file + ": the model has no subgraph");
            }
            return m;
        } catch (ModelFormatException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            throw new PipelineException(
                    Stage.LOAD, "ModelInvalid", msg.contains(file.toString()) ? msg : file + ": " + msg, e);
        }
    }

    /**
     * The dataset read as {@code reading} says, labelled by {@code labels}; with class folders the labels come
     * from the folders and {@code labels}, when given, is the class list (line i = class i).
     */
    private static Dataset openRaw(List<Path> paths, Path labels, Subgraph graph, DatasetReading reading) {
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new PipelineException(Stage.LOAD, "DatasetNotFound", "dataset not found: " + p, null);
            }
        }
        if (labels != null && !Files.isRegularFile(labels)) {
            throw new PipelineException(Stage.LOAD, "DatasetNotFound", "label file not found: " + labels, null);
        }
        try {
            boolean folders = reading.classFolders();
            List<String> classes = folders && labels != null ? Labels.readClassNames(labels) : null;
            Dataset d = Datasets.open(paths, InputSpec.of(graph), reading, classes);
            return labels == null || folders ? d : Datasets.withLabels(d, labels, null);
        } catch (DatasetException e) {
            throw new PipelineException(Stage.LOAD, "DatasetInvalid", e.getMessage(), e);
        }
    }

    /**
     * {@link Sampling#take}, refused as a user error when more samples are asked for than {@code dataset} holds;
     * {@code count} names the count asked for, as the user gave it.
     */
    private static Dataset take(Dataset dataset, int n, Long seed, String count) {
        try {
            return Sampling.take(dataset, n, seed);
        } catch (DatasetException e) {
            throw new PipelineException(Stage.LOAD, "DatasetInvalid", count + ": " + e.getMessage(), e);
        }
    }

    /**
     * The quantized model's evaluation inputs, told apart from the float model's when they are prepared otherwise
     * (an int8 or uint8 input is quantized): one more line, so that no conversion goes unseen.
     */
    static java.util.Optional<DatasetPreparation> quantizedSide(
            DatasetPreparation floatSide, ModelInputAdapter quantSide, PipelineListener listener) {
        if (floatSide == null || floatSide.inputs().equals(quantSide.conversions())) {
            return java.util.Optional.empty();
        }
        DatasetPreparation p =
                quantSide.preparation(EVALUATION_QUANTIZED, floatSide.available(), floatSide.asked(), floatSide.seed());
        listener.datasetPrepared(p);
        return java.util.Optional.of(p);
    }

    static ModelInputAdapter adapt(Dataset raw, Subgraph graph, Preprocessing pre) {
        try {
            return ModelInputAdapter.adapt(raw, InputSpec.of(graph), pre);
        } catch (DatasetException e) {
            throw new PipelineException(Stage.LOAD, "DatasetInvalid", e.getMessage(), e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new PipelineException(
                        Stage.WRITE,
                        "OutputNotWritable",
                        "output directory does not exist: " + dir + " (for " + file + ")",
                        null);
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new PipelineException(
                    Stage.WRITE, "OutputNotWritable", "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs a stage's work, turning its failures into a {@link PipelineException} of that stage. */
    static <T> T guard(Stage stage, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (PipelineException e) {
            throw e;
        } catch (UnquantizableOpsException e) {
            throw new PipelineException(stage, "UnsupportedOps", e.getMessage(), e);
        } catch (UnsupportedOpException e) {
            throw new PipelineException(stage, "UnsupportedOps", e.getMessage(), e);
        } catch (DatasetException e) {
            throw new PipelineException(stage, "DatasetInvalid", e.getMessage(), e);
        } catch (ModelInvalidException e) {
            // Includes ModelFormatException; also what graph validation and run-time shape checks refuse.
            throw new PipelineException(stage, "ModelInvalid", e.getMessage(), e);
        } catch (OpSelection.UnknownOpException e) {
            throw new PipelineException(stage, "UnknownOp", e.getMessage(), null);
        } catch (Equalization.NothingToEqualizeException e) {
            throw new PipelineException(stage, "NothingToEqualize", e.getMessage(), null);
        }
    }

    /** Times stages and tells the listener. */
    static final class Clock {
        private final PipelineListener listener;
        private Stage stage;
        private long started;

        Clock(PipelineListener listener) {
            this.listener = listener;
        }

        void start(Stage s, String what) {
            stage = s;
            started = System.nanoTime();
            listener.stageStarted(s, what);
        }

        long finish() {
            long ms = (System.nanoTime() - started) / 1_000_000;
            listener.stageFinished(stage, ms);
            return ms;
        }
    }
}
