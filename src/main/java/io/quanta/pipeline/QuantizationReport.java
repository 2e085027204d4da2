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
        List<FallbackOp> int8Ops) {

    /** A report without accuracy work. */
    public QuantizationReport(
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
            Timings timings) {
        this(
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
                null,
                null);
    }

    /** The same report naming other files (where the model and data were published). */
    public QuantizationReport withFiles(Files f) {
        return new QuantizationReport(
                formatVersion,
                f,
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
                int8Ops);
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
            Float channelScaleMax) {}

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
}
