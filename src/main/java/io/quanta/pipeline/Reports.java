package io.quanta.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.data.DatasetPreparation;
import io.quanta.data.InputConversion;
import io.quanta.eval.EvaluationResult;
import io.quanta.eval.TrialFigures;
import io.quanta.quantize.OpCoverage;
import io.quanta.quantize.OpReport;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.Quantizer;
import io.quanta.quantize.TensorReport;
import io.quanta.report.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** Builds the report and the compact summary from what the stages returned: pure assembly, no I/O. */
public final class Reports {
    private Reports() {}

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Everything the report says, gathered by the pipeline. */
    record Parts(
            PipelineRequest request,
            String outputSha256,
            long floatBytes,
            long quantizedBytes,
            CalibrationStats calibration,
            int calibrationSamples,
            QuantizationResult result,
            EvaluationResult evaluation,
            String evaluationSkipped,
            int evalSamples,
            QuantizationReport.Timings timings,
            QuantizationReport.Accuracy accuracy,
            List<DatasetPreparation> datasets) {}

    static QuantizationReport report(Parts p) {
        PipelineRequest r = p.request();
        QuantizationOptions o = r.options();
        QuantizationReport.Files files = new QuantizationReport.Files(
                r.model().toString(),
                r.output().toString(),
                p.outputSha256(),
                r.datasets().stream().map(Object::toString).toList(),
                r.labels() == null ? null : r.labels().toString(),
                r.evaluate()
                        ? (r.evalDatasets().isEmpty() ? r.datasets() : r.evalDatasets())
                                .stream().map(Object::toString).toList()
                        : null,
                r.evaluate()
                        ? pathOrNull(r.evalDatasets().isEmpty() && r.evalLabels() == null ? r.labels() : r.evalLabels())
                        : null);
        QuantizationReport.Settings settings = new QuantizationReport.Settings(
                name(o.mode()),
                name(o.inputType()),
                name(o.outputType()),
                o.perChannelFullyConnected(),
                r.preprocessing().normalization().toString(),
                name(r.preprocessing().color()),
                p.calibrationSamples(),
                r.sampleSeed() == null ? "evenly" : "random",
                r.sampleSeed(),
                p.evalSamples());
        QuantizationReport.Sizes sizes = new QuantizationReport.Sizes(
                p.floatBytes(),
                p.quantizedBytes(),
                p.floatBytes() == 0 ? 0 : (double) p.quantizedBytes() / p.floatBytes());
        QuantizationReport.Calibration calibration = p.calibration() == null
                ? null
                : new QuantizationReport.Calibration(
                        p.calibration().samples(), p.calibration().tensors().size());
        Map<String, QuantizationReport.OpTypeCoverage> coverage = new LinkedHashMap<>();
        for (Map.Entry<String, OpCoverage> e : p.result().coverage().entrySet()) {
            OpCoverage c = e.getValue();
            coverage.put(
                    e.getKey(), new QuantizationReport.OpTypeCoverage(c.quantized(), c.floatFallback(), c.notFloat()));
        }
        List<QuantizationReport.FallbackOp> fallback = new ArrayList<>();
        for (OpReport op : p.result().ops()) {
            if (op.outcome() == OpReport.Outcome.FLOAT_FALLBACK) {
                fallback.add(new QuantizationReport.FallbackOp(op.index(), op.opType(), op.reason()));
            }
        }
        // 16x8: the ops that run in int8 rather than int16, and why (TFLite has no 16x8 kernel for them, ...).
        List<QuantizationReport.FallbackOp> int8Ops = null;
        for (OpReport op : p.result().ops()) {
            if (op.outcome() == OpReport.Outcome.QUANTIZED
                    && op.activations() == io.quanta.graph.DataType.INT8
                    && op.reason() != null) {
                if (int8Ops == null) int8Ops = new ArrayList<>();
                int8Ops.add(new QuantizationReport.FallbackOp(op.index(), op.opType(), op.reason()));
            }
        }
        List<QuantizationReport.TensorEntry> tensors = new ArrayList<>();
        for (TensorReport t : p.result().tensors()) {
            tensors.add(tensorEntry(t, p.calibration()));
        }
        return QuantizationReport.builder()
                .files(files)
                .options(settings)
                .sizes(sizes)
                .calibration(calibration)
                .coverage(coverage)
                .floatFallbackOps(fallback)
                .tensors(tensors)
                .evaluation(p.evaluation())
                .evaluationSkipped(p.evaluationSkipped())
                .timings(p.timings())
                .accuracy(p.accuracy())
                .datasets(
                        p.datasets().isEmpty()
                                ? null
                                : p.datasets().stream()
                                        .map(Reports::datasetEntry)
                                        .toList())
                .int8Ops(int8Ops)
                .build();
    }

    /** A dataset's preparation as the report keeps it. */
    static QuantizationReport.DatasetEntry datasetEntry(DatasetPreparation d) {
        List<QuantizationReport.InputPreprocessing> inputs = new ArrayList<>();
        for (InputConversion c : d.inputs()) {
            inputs.add(new QuantizationReport.InputPreprocessing(
                    c.input(),
                    c.from(),
                    name(c.fromType()),
                    c.to(),
                    name(c.toType()),
                    c.reshape() ? true : null,
                    c.resizes() ? new QuantizationReport.ResizeEntry(c.imageFrom(), c.imageTo()) : null,
                    c.colour(),
                    c.typeChange(),
                    c.normalization().isIdentity() ? null : c.normalization().toString(),
                    c.scale(),
                    c.zeroPoint(),
                    c.steps()));
        }
        return new QuantizationReport.DatasetEntry(
                d.role(),
                d.source(),
                d.imageFiles() ? true : null,
                new QuantizationReport.SampleCounts(d.available(), d.asked(), d.used(), d.selection(), d.seed()),
                inputs,
                d.line());
    }

    /** The accuracy block: null for the converter's plain recipe (min/max, nothing kept float, no budget). */
    static QuantizationReport.Accuracy accuracy(
            AccuracySettings acc,
            AutoCalibration.Choice auto,
            AccuracySearch.Result search,
            QuantizationResult result,
            List<String> opNames,
            long searchMs) {
        List<String> kept = new ArrayList<>();
        for (OpReport op : result.ops()) {
            if (Quantizer.keptFloatAsAsked(op)) {
                kept.add(op.index() < opNames.size() ? opNames.get(op.index()) : "#" + op.index());
            }
        }
        boolean plain = acc.calibration() == CalibrationMethod.MINMAX && search == null && kept.isEmpty();
        if (plain) {
            return null;
        }
        int nonInt8 = (int) result.ops().stream()
                .filter(o -> o.outcome() == OpReport.Outcome.FLOAT_FALLBACK
                        || o.activations() == io.quanta.graph.DataType.INT16)
                .count();
        List<QuantizationReport.SensitivityEntry> sensitivity = null;
        List<QuantizationReport.TrialEntry> trials = null;
        if (search != null) {
            sensitivity = new ArrayList<>();
            int rank = 1;
            for (AccuracySearch.Sensitivity s : search.ranking()) {
                TrialFigures f = s.figures();
                sensitivity.add(new QuantizationReport.SensitivityEntry(
                        rank++,
                        s.op(),
                        result.ops().get(s.op()).opType(),
                        opNames.get(s.op()),
                        finite(f.agreement()),
                        f.labelled() > 0 ? finite(f.quantizedTop1()) : null,
                        finite(f.sqnrDb())));
            }
            trials = new ArrayList<>();
            for (AccuracySearch.Trial t : search.trials()) {
                TrialFigures f = t.figures();
                trials.add(new QuantizationReport.TrialEntry(
                        t.number(),
                        t.kind(),
                        t.kind().equals("sensitivity")
                                ? null
                                : t.floatOps().stream().map(opNames::get).toList(),
                        t.nonInt8Ops(),
                        f.samples(),
                        finite(f.agreement()),
                        f.labelled() > 0 ? finite(f.floatTop1()) : null,
                        f.labelled() > 0 ? finite(f.quantizedTop1()) : null,
                        finite(f.sqnrDb()),
                        t.meets(),
                        t.millis()));
            }
        }
        boolean budget = !acc.budget().isEmpty();
        return new QuantizationReport.Accuracy(
                acc.calibration().label(),
                acc.calibration() == CalibrationMethod.PERCENTILE || acc.calibration() == CalibrationMethod.AUTO
                        ? acc.percentile()
                        : null,
                auto == null ? null : RangeChoice.counts(auto.methods()),
                auto == null ? null : auto.trials(),
                budget ? acc.budget().describe() : null,
                budget ? search != null && search.met() : null,
                budget ? name(acc.strategy()) : null,
                budget ? acc.maxTrials() : null,
                kept,
                nonInt8,
                search == null ? null : search.chosen().number(),
                sensitivity,
                trials,
                searchMs);
    }

    /** The recipes' record: null parts for recipes that did not run. */
    static QuantizationReport.Recipes recipes(
            io.quanta.quantize.recipes.Equalization.Result equalized,
            io.quanta.quantize.recipes.BiasCorrection.Result corrected,
            List<QuantizationReport.RecipeFigures> figures) {
        QuantizationReport.Equalize eq = equalized == null
                ? null
                : new QuantizationReport.Equalize(
                        equalized.pairs().stream()
                                .map(io.quanta.quantize.recipes.Equalization.Pair::describe)
                                .toList(),
                        equalized.sweeps(),
                        equalized.minScale(),
                        equalized.maxScale(),
                        equalized.skipped());
        QuantizationReport.BiasCorrection bc = corrected == null
                ? null
                : new QuantizationReport.BiasCorrection(
                        corrected.samples(),
                        corrected.layers().size(),
                        corrected.meanAbsErrorBefore(),
                        corrected.meanAbsErrorAfter(),
                        corrected.layers().stream()
                                .mapToInt(io.quanta.quantize.recipes.BiasCorrection.Layer::saturated)
                                .sum(),
                        corrected.layers().stream()
                                .map(l -> new QuantizationReport.BiasCorrectionLayer(
                                        l.op(), l.opType(), l.output(), l.meanAbsErrorBefore(), l.meanAbsErrorAfter()))
                                .toList(),
                        corrected.skipped());
        return new QuantizationReport.Recipes(eq, bc, figures);
    }

    /** JSON has no NaN or infinity: those figures are left out (+infinity SQNR, identical outputs, as 999). */
    private static Double finite(double v) {
        if (Double.isNaN(v)) return null;
        return Double.isInfinite(v) ? Math.copySign(999.0, v) : v;
    }

    static QuantizationReport.TensorEntry tensorEntry(TensorReport t, CalibrationStats calibration) {
        boolean quantized = t.scales().length > 0;
        boolean perChannel = t.scales().length > 1;
        return new QuantizationReport.TensorEntry(
                t.index(),
                t.name(),
                name(t.role()),
                name(t.type()),
                t.range() == null ? null : t.range().min(),
                t.range() == null ? null : t.range().max(),
                quantized ? t.scales() : null,
                quantized ? t.zeroPoint() : null,
                perChannel ? t.axis() : null,
                perChannel ? t.channelScaleMin() : null,
                perChannel ? t.channelScaleMedian() : null,
                perChannel ? t.channelScaleMax() : null,
                histogram(t, calibration));
    }

    /** The recorded histogram of an activation, when calibration kept one (not for range-only minmax). */
    private static QuantizationReport.TensorHistogram histogram(TensorReport t, CalibrationStats calibration) {
        if (calibration == null || t.role() != TensorReport.Role.ACTIVATION) {
            return null;
        }
        io.quanta.calibrate.TensorStats s = calibration.get(t.sourceIndex());
        if (s == null) {
            return null;
        }
        long[] counts = s.histogram().resample(QuantizationReport.TensorHistogram.BINS);
        return counts.length == 0 ? null : new QuantizationReport.TensorHistogram(s.min(), s.max(), counts);
    }

    /**
     * The compact result of a successful run in the schema the operator reads: sizes, op coverage, accuracy
     * (when the evaluation set had labels) and the scales of quantized tensors.
     */
    public static RunResult summary(QuantizationReport report) {
        int total = 0;
        int quantized = 0;
        int floatOps = 0;
        for (QuantizationReport.OpTypeCoverage c : report.coverage().values()) {
            total += c.quantized() + c.floatFallback() + c.notFloat();
            quantized += c.quantized();
            floatOps += c.floatFallback();
        }
        TreeSet<String> fallbackTypes = new TreeSet<>();
        report.floatFallbackOps().forEach(op -> fallbackTypes.add(op.opType()));
        RunResult.Coverage coverage = new RunResult.Coverage(total, quantized, floatOps, List.copyOf(fallbackTypes));
        RunResult.Sizes sizes = new RunResult.Sizes(
                report.sizes().floatBytes(),
                report.sizes().quantizedBytes(),
                report.sizes().ratio());
        RunResult.Output output = new RunResult.Output(
                report.files().output(),
                report.sizes().quantizedBytes(),
                report.files().outputSha256());
        RunResult.Accuracy accuracy = null;
        EvaluationResult e = report.evaluation();
        if (e != null && e.classification() != null && e.classification().labelled() > 0) {
            EvaluationResult.Classification c = e.classification();
            accuracy = new RunResult.Accuracy(
                    c.floatTop1(), c.quantizedTop1(), c.floatTop1() - c.quantizedTop1(), c.agreement(), c.labelled());
        }
        List<RunResult.TensorScale> scales = new ArrayList<>();
        for (QuantizationReport.TensorEntry t : report.tensors()) {
            RunResult.TensorScale.Kind kind = switch (t.role()) {
                case "activation" -> RunResult.TensorScale.Kind.ACTIVATION;
                case "weight" -> RunResult.TensorScale.Kind.WEIGHT;
                case "bias" -> RunResult.TensorScale.Kind.BIAS;
                default -> null;
            };
            if (kind == null || t.scales() == null) {
                continue;
            }
            float lo = Float.POSITIVE_INFINITY;
            float hi = 0;
            for (float s : t.scales()) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
            scales.add(new RunResult.TensorScale(
                    t.name(),
                    kind,
                    t.min() == null ? 0 : t.min(),
                    t.max() == null ? 0 : t.max(),
                    lo,
                    hi,
                    t.zeroPoint() == null ? 0 : t.zeroPoint().intValue(),
                    t.scales().length));
        }
        String message = String.format(
                Locale.ROOT,
                "quantized %d of %d ops to %s; %.1f%% of the float size%s",
                quantized,
                total,
                report.options().mode(),
                100 * report.sizes().ratio(),
                accuracy == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                "; top-1 %.4f vs float %.4f on %d samples",
                                accuracy.quantizedAccuracy(),
                                accuracy.floatAccuracy(),
                                accuracy.samples()));
        QuantizationReport.Accuracy a = report.accuracy();
        RunResult.Search search = a == null
                ? null
                : new RunResult.Search(
                        a.calibration(),
                        a.budget(),
                        a.budgetMet(),
                        a.keptFloat(),
                        a.nonInt8Ops(),
                        a.trials() == null ? 0 : a.trials().size());
        if (a != null && a.budget() != null) {
            message += String.format(
                    Locale.ROOT,
                    "; budget %s met after %d trial(s), kept float %s",
                    a.budget(),
                    search.trials(),
                    a.keptFloat());
        }
        return RunResult.builder()
                .outcome(RunResult.Outcome.SUCCEEDED)
                .message(message)
                .output(output)
                .sizes(sizes)
                .coverage(coverage)
                .accuracy(accuracy)
                .scales(RunResult.ScaleStats.of(scales))
                .search(search)
                .build();
    }

    public static String toJson(Object report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report: " + e.getMessage(), e);
        }
    }

    public static QuantizationReport fromJson(String json) {
        try {
            return JSON.readValue(json, QuantizationReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a quantization report: " + e.getOriginalMessage(), e);
        }
    }

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String pathOrNull(java.nio.file.Path p) {
        return p == null ? null : p.toString();
    }
}
