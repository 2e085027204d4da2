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
        @JsonProperty("Int8") INT8,
        /** Every op in int8; a model with an op that cannot be quantized fails, listing those ops. */
        @JsonProperty("Int8Only") INT8_ONLY,
        /** int8 weights of convolutions and fully connected layers, float activations; needs no calibration. */
        @JsonProperty("DynamicRange") DYNAMIC_RANGE,
        /** Float constants stored as float16; needs no calibration. */
        @JsonProperty("Float16") FLOAT16
    }

    public enum IoType {
        @JsonProperty("Float32") FLOAT32,
        @JsonProperty("Int8") INT8,
        @JsonProperty("Uint8") UINT8
    }

    @Default("Int8Only")
    @JsonPropertyDescription("Int8Only (every op int8, fails on ops that cannot be quantized), Int8 (those ops stay "
            + "float), DynamicRange (int8 weights, float activations) or Float16 (float16 weights).")
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
}
