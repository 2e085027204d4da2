package io.quanta.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quanta.eval.EvaluationResult;
import java.util.List;
import java.util.Map;

/**
 * The JSON report written beside a quantized model: what was asked, what was done to every op and tensor, how
 * the result compares with the float model, and how long each stage took. Add fields freely; bump
 * {@link #FORMAT_VERSION} when one changes meaning.
 *
 * @param evaluation       null when evaluation was not asked for or could not run ({@code evaluationSkipped} says why)
 * @param accuracy         calibration method, budget, sensitivity ranking and search trials; null for the converter's
 *                         plain recipe
 * @param datasets         each dataset as prepared for the model: samples used and every conversion applied
 * @param recipes          what equalization and bias correction did, and the figures with and without; null when
 *                         neither ran
 * @param int8Ops          16x8 (mode int16x8 or ops moved to int16): the quantized ops that run in int8 instead, each
 *                         with the reason (TFLite 2.21 has no 16x8 kernel for it, ...); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantizationReport(
        int formatVersion,
        Files files,
        Settings options,
        Sizes sizes,
        Calibration calibration,
        Map<String, OpTypeCoverage> coverage,
        List<FallbackOp> floatFallbackOps,
        List<TensorEntry> tensors,
        EvaluationResult evaluation,
        String evaluationSkipped,
        Timings timings,
        Accuracy accuracy,
        List<DatasetEntry> datasets,
        Recipes recipes,
        List<FallbackOp> int8Ops) {

    /** The same report naming other files (where the model and data were published). */
    public QuantizationReport withFiles(Files f) {
        return toBuilder().files(f).build();
    }

    /** The same report with the evaluation (merged from shards) and the timings that include it. */
    public QuantizationReport withEvaluation(EvaluationResult e, String skipped, Timings t) {
        return toBuilder().evaluation(e).evaluationSkipped(skipped).timings(t).build();
    }

    /** The same report with the recipes' record. */
    public QuantizationReport withRecipes(Recipes r) {
        return toBuilder().recipes(r).build();
    }

    /** The same report listing the ops a 16x8 model runs in int8. */
    public QuantizationReport withInt8Ops(List<FallbackOp> ops) {
        return toBuilder().int8Ops(ops).build();
    }

    /** A report of this {@link #FORMAT_VERSION}, every part still unset (null). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.formatVersion = formatVersion;
        b.files = files;
        b.options = options;
        b.sizes = sizes;
        b.calibration = calibration;
        b.coverage = coverage;
        b.floatFallbackOps = floatFallbackOps;
        b.tensors = tensors;
        b.evaluation = evaluation;
        b.evaluationSkipped = evaluationSkipped;
        b.timings = timings;
        b.accuracy = accuracy;
        b.datasets = datasets;
        b.recipes = recipes;
        b.int8Ops = int8Ops;
        return b;
    }

    /** One place that lists the fields in order, so a copy with one part changed names only that part. */
    public static final class Builder {
        private int formatVersion = FORMAT_VERSION;
        private Files files;
        private Settings options;
        private Sizes sizes;
        private Calibration calibration;
        private Map<String, OpTypeCoverage> coverage;
        private List<FallbackOp> floatFallbackOps;
        private List<TensorEntry> tensors;
        private EvaluationResult evaluation;
        private String evaluationSkipped;
        private Timings timings;
        private Accuracy accuracy;
        private List<DatasetEntry> datasets;
        private Recipes recipes;
        private List<FallbackOp> int8Ops;

        private Builder() {}

        public Builder formatVersion(int v) {
            formatVersion = v;
            return this;
        }

        public Builder files(Files v) {
            files = v;
            return this;
        }

        public Builder options(Settings v) {
            options = v;
            return this;
        }

        public Builder sizes(Sizes v) {
            sizes = v;
            return this;
        }

        public Builder calibration(Calibration v) {
            calibration = v;
            return this;
        }

        public Builder coverage(Map<String, OpTypeCoverage> v) {
            coverage = v;
            return this;
        }

        public Builder floatFallbackOps(List<FallbackOp> v) {
            floatFallbackOps = v;
            return this;
        }

        public Builder tensors(List<TensorEntry> v) {
            tensors = v;
            return this;
        }

        public Builder evaluation(EvaluationResult v) {
            evaluation = v;
            return this;
        }

        public Builder evaluationSkipped(String v) {
            evaluationSkipped = v;
            return this;
        }

        public Builder timings(Timings v) {
            timings = v;
            return this;
        }

        public Builder accuracy(Accuracy v) {
            accuracy = v;
            return this;
        }

        public Builder datasets(List<DatasetEntry> v) {
            datasets = v;
            return this;
        }

        public Builder recipes(Recipes v) {
            recipes = v;
            return this;
        }

        public Builder int8Ops(List<FallbackOp> v) {
            int8Ops = v;
            return this;
        }

        public QuantizationReport build() {
            return new QuantizationReport(
                    formatVersion,
                    files,
                    options,
                    sizes,
                    calibration,
                    coverage,
                    floatFallbackOps,
                    tensors,
                    evaluation,
                    evaluationSkipped,
                    timings,
                    accuracy,
                    datasets,
                    recipes,
                    int8Ops);
        }
    }

    public static final int FORMAT_VERSION = 1;

    /** What was read and written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Files(
            String model,
            String output,
            String outputSha256,
            List<String> datasets,
            String labels,
            List<String> evalDatasets,
            String evalLabels) {}

    /** The run's settings: quantization options and how samples were taken and prepared. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(
            String mode,
            String inputType,
            String outputType,
            boolean perChannelFullyConnected,
            String normalization,
            String color,
            int samples,
            String sampling,
            Long sampleSeed,
            int evalSamples) {}

    /**
     * One dataset as prepared for the model.
     *
     * @param role          calibration, evaluation, or evaluation of the quantized model (when its inputs are prepared
     *                      otherwise than the float model's)
     * @param imageFiles    true for image files, each converted from its own size ({@code preprocessing}: the first's)
     * @param preprocessing one entry per model input
     * @param summary       the line printed on stderr
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetEntry(
            String role,
            String source,
            Boolean imageFiles,
            SampleCounts samples,
            List<InputPreprocessing> preprocessing,
            String summary) {}

    /**
     * Samples in the dataset, asked for (0: all) and used; {@code selection} all, evenly or random (with
     * {@code seed}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SampleCounts(int available, int asked, int used, String selection, Long seed) {}

    /**
     * How one input's samples became what it takes: shape and type before and after, then each conversion, null when
     * not applied: {@code reshape} (a flattened sample laid out as the input), {@code resize} ([H, W, C] from and to,
     * bilinear), {@code colour} (such as rgb->grayscale), {@code dtype} (such as uint8->float32), {@code normalization}
     * (such as x/255.0), {@code scale}/{@code zeroPoint} (quantized into an integer input); {@code steps} in words.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputPreprocessing(
            String input,
            int[] sampleShape,
            String sampleType,
            int[] inputShape,
            String inputType,
            Boolean reshape,
            ResizeEntry resize,
            String colour,
            String dtype,
            String normalization,
            Float scale,
            Long zeroPoint,
            List<String> steps) {}

    /** A bilinear resize: [H, W, C] before and after. */
    public record ResizeEntry(int[] from, int[] to) {}

    /** File sizes in bytes; {@code ratio} = quantized / float. */
    public record Sizes(long floatBytes, long quantizedBytes, double ratio) {}

    /** Calibration: samples run and float tensors whose range was recorded (null for weight-only modes). */
    public record Calibration(long samples, int tensors) {}

    /** Ops of one type: quantized, kept float (fallback), or without float tensors to begin with. */
    public record OpTypeCoverage(int quantized, int floatFallback, int notFloat) {}

    /** An op that stayed float, and why. */
    public record FallbackOp(int index, String opType, String reason) {}

    /**
     * One tensor of the quantized model the quantizer decided on: the range seen (calibrated for activations,
     * actual for constants), its scale(s) and zero point; for per-channel tensors the quantized axis and the
     * smallest, median and largest channel scale.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TensorEntry(
            int index,
            String name,
            String role,
            String type,
            Float min,
            Float max,
            float[] scales,
            Long zeroPoint,
            Integer axis,
            Float channelScaleMin,
            Float channelScaleMedian,
            Float channelScaleMax,
            TensorHistogram histogram) {}

    /** The calibration histogram of an activation, regrouped into a few equal bins over [min, max]. */
    public record TensorHistogram(float min, float max, long[] counts) {
        /** Bins kept per tensor: enough for a sparkline, small for a 100-layer report. */
        public static final int BINS = 32;
    }

    /** Milliseconds per stage and overall. */
    public record Timings(
            long loadMs, long calibrateMs, long quantizeMs, long evaluateMs, long writeMs, long totalMs) {}

    /**
     * What was done for accuracy.
     *
     * @param calibration  the calibration method; for auto, {@code autoMethods} counts the tensors each method won
     * @param budget       the budget checked, in words ("agreement >= 0.95"); null without one
     * @param budgetMet    whether the chosen model meets it
     * @param keptFloat    ops the chosen model keeps float beyond those without an int8 kernel (the user's keep-float
     *                     ops and the search's), by name
     * @param nonInt8Ops   ops of the chosen model that do not run in int8
     * @param chosenTrial  the trial the written model comes from
     * @param sensitivity  int8 ops, most sensitive first: the figures with that op alone quantized
     * @param trials       every candidate measured, in order
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Accuracy(
            String calibration,
            Double percentile,
            Map<String, Integer> autoMethods,
            Integer autoTrials,
            String budget,
            Boolean budgetMet,
            String strategy,
            Integer maxTrials,
            List<String> keptFloat,
            int nonInt8Ops,
            Integer chosenTrial,
            List<SensitivityEntry> sensitivity,
            List<TrialEntry> trials,
            long searchMs) {}

    /** One op's sensitivity: the model's figures with that op alone in int8. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SensitivityEntry(
            int rank, int op, String opType, String name, Double agreement, Double top1, Double sqnrDb) {}

    /** One candidate model: which ops it kept float (beyond the baseline's), its figures, and what it cost. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TrialEntry(
            int trial,
            String kind,
            List<String> keptFloat,
            int nonInt8Ops,
            int samples,
            Double agreement,
            Double floatTop1,
            Double top1,
            Double sqnrDb,
            boolean meetsBudget,
            long ms) {}

    /**
     * Equalization and bias correction: what each did, and the figures without them and with them.
     *
     * @param figures the model without any recipe ("none"), with equalization alone when bias correction follows,
     *                and the written model, each against the float model on the evaluation samples; empty without
     *                evaluation
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Recipes(Equalize equalize, BiasCorrection biasCorrection, List<RecipeFigures> figures) {}

    /**
     * Cross-layer equalization.
     *
     * @param pairs    the layer pairs equalized ("#1 CONV_2D -> #2 CONV_2D (16 channels)")
     * @param sweeps   sweeps over the pairs until the channel scales converged
     * @param minScale smallest channel scale applied
     * @param maxScale largest channel scale applied
     * @param skipped  consecutive layers left alone, with the reason (a fused ReLU6, for example)
     */
    public record Equalize(List<String> pairs, int sweeps, double minScale, double maxScale, List<String> skipped) {}

    /**
     * Empirical bias correction on the calibration samples.
     *
     * @param meanAbsErrorBefore mean over layers and channels of |mean output error| before each layer's correction
     * @param meanAbsErrorAfter  the same after all corrections
     * @param saturatedChannels  channels whose bias hit the int32 limits
     */
    public record BiasCorrection(
            int samples,
            int layers,
            double meanAbsErrorBefore,
            double meanAbsErrorAfter,
            int saturatedChannels,
            List<BiasCorrectionLayer> perLayer,
            List<String> skipped) {}

    /** One corrected layer: its mean |channel error| (real units) before and after. */
    public record BiasCorrectionLayer(int op, String opType, String output, double before, double after) {}

    /** One variant's output SQNR, agreement and (with labels) top-1 against the float model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecipeFigures(
            String recipes, int samples, Double sqnrDb, Double agreement, Double floatTop1, Double top1) {}
}
