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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuantizationReport(int formatVersion, Files files, Settings options, Sizes sizes, Calibration calibration,
        Map<String, OpTypeCoverage> coverage, List<FallbackOp> floatFallbackOps, List<TensorEntry> tensors,
        EvaluationResult evaluation, String evaluationSkipped, Timings timings) {

    public static final int FORMAT_VERSION = 1;

    /** What was read and written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Files(String model, String output, String outputSha256, List<String> datasets, String labels,
            List<String> evalDatasets, String evalLabels) {}

    /** The run's settings: quantization options and how samples were taken and prepared. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Settings(String mode, String inputType, String outputType, boolean perChannelFullyConnected,
            String normalization, String color, int samples, String sampling, Long sampleSeed, int evalSamples) {}

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
    public record TensorEntry(int index, String name, String role, String type, Float min, Float max, float[] scales,
            Long zeroPoint, Integer axis, Float channelScaleMin, Float channelScaleMedian, Float channelScaleMax) {}

    /** Milliseconds per stage and overall. */
    public record Timings(long loadMs, long calibrateMs, long quantizeMs, long evaluateMs, long writeMs, long totalMs) {}
}
