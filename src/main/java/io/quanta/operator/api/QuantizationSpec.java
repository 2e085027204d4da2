package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** What kind of quantized model to produce (the engine's quantization options). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantizationSpec {
    /** The engine's {@code QuantizationMode} and the CLI's {@code --mode}, under the same names. */
    public enum Mode {
        /** int8 where an op has an int8 kernel; the other ops stay float between QUANTIZE and DEQUANTIZE. */
        @JsonProperty("Int8")
        INT8,
        /** Every op in int8; a model with an op that cannot be quantized fails, listing those ops. */
        @JsonProperty("Int8Only")
        INT8_ONLY,
        /** int8 weights of convolutions and fully connected layers, float activations; needs no calibration. */
        @JsonProperty("DynamicRange")
        DYNAMIC_RANGE,
        /** Float constants stored as float16; needs no calibration. */
        @JsonProperty("Float16")
        FLOAT16,
        /** TFLite's 16x8: int16 activations, int8 weights where TFLite runs the op so, int8 elsewhere. */
        @JsonProperty("Int16x8")
        INT16X8
    }

    public enum IoType {
        @JsonProperty("Float32")
        FLOAT32,
        @JsonProperty("Int8")
        INT8,
        @JsonProperty("Uint8")
        UINT8
    }

    @Default("Int8Only")
    @JsonPropertyDescription("Int8Only (every op int8, fails on ops that cannot be quantized), Int8 (those ops stay "
            + "float), DynamicRange (int8 weights, float activations), Float16 (float16 weights) or Int16x8 (int16 "
            + "activations, int8 weights).")
    public Mode mode = Mode.INT8_ONLY;

    @Default("Float32")
    @JsonPropertyDescription("Type of the model inputs.")
    public IoType inputType = IoType.FLOAT32;

    @Default("Float32")
    @JsonPropertyDescription("Type of the model outputs.")
    public IoType outputType = IoType.FLOAT32;

    @Default("true")
    @JsonPropertyDescription("Per-channel weight scales for convolutions and fully connected layers.")
    public Boolean perChannel = Boolean.TRUE;

    /** The engine's {@code CalibrationMethod} and the CLI's {@code --calibration}, under the same names. */
    public enum Calibration {
        @JsonProperty("MinMax")
        MINMAX,
        @JsonProperty("Percentile")
        PERCENTILE,
        @JsonProperty("Mse")
        MSE,
        @JsonProperty("Entropy")
        ENTROPY,
        @JsonProperty("Auto")
        AUTO
    }

    @Default("MinMax")
    @JsonPropertyDescription("How activation ranges are chosen: MinMax (the converter's recipe), Percentile, Mse, "
            + "Entropy (KL, as TensorRT) or Auto (per tensor, the method best at the output on held-back samples).")
    public Calibration calibration = Calibration.MINMAX;

    @JsonPropertyDescription("The percentile of Percentile calibration, in (0, 100]; 99.99 when unset.")
    public Double percentile;

    @JsonPropertyDescription("Ops to leave float: an op type (LOG), an op's output tensor name, or #N.")
    public java.util.List<String> keepFloat;

    @JsonPropertyDescription("The search for a model that meets spec.acceptance.")
    public SearchSpec search;

    @Default("false")
    @JsonPropertyDescription("Cross-layer equalization before calibrating (the CLI's --equalize): balance the channel "
            + "ranges of consecutive conv/depthwise/fully-connected layers joined by ReLU or nothing, keeping the float "
            + "function; fails on a model without such a pair.")
    public Boolean equalize = Boolean.FALSE;

    @Default("false")
    @JsonPropertyDescription(
            "Empirical bias correction (the CLI's --bias-correction): subtract each layer's mean output "
                    + "error per channel, measured on the calibration samples, from its int32 bias. Int8 and Int8Only only.")
    public Boolean biasCorrection = Boolean.FALSE;

    /** How the engine searches for a model that meets the acceptance budget (the CLI's --search, --max-trials). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SearchSpec {
        public enum Strategy {
            /** Only check the budget. */
            @JsonProperty("None")
            NONE,
            /** Keep the most sensitive ops float, one more per trial, until the budget holds. */
            @JsonProperty("Greedy")
            GREEDY
        }

        public enum Fallback {
            @JsonProperty("Float")
            FLOAT,
            /** Not available yet (needs 16x8 quantization); refused. */
            @JsonProperty("Int16")
            INT16
        }

        @Default("None")
        @JsonPropertyDescription("None (check spec.acceptance only) or Greedy.")
        public Strategy strategy = Strategy.NONE;

        @io.fabric8.generator.annotation.Min(1)
        @JsonPropertyDescription("At most this many candidate models in the greedy search; 20 when unset.")
        public Integer maxTrials;

        @Default("Float")
        @JsonPropertyDescription(
                "What sensitive ops fall back to: Float (Int16 needs 16x8 quantization, not available).")
        public Fallback fallback = Fallback.FLOAT;
    }
}
