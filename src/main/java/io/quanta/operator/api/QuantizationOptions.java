package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** What kind of quantized model to produce. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantizationOptions {
    public enum Mode {
        /** Every operator in int8; a model with an op that cannot be quantized fails. */
        @JsonProperty("Int8") INT8,
        /** int8 where possible, float for the ops that cannot be quantized. */
        @JsonProperty("Int8WithFloatFallback") INT8_WITH_FLOAT_FALLBACK
    }

    public enum IoType {
        @JsonProperty("Float32") FLOAT32,
        @JsonProperty("Int8") INT8,
        @JsonProperty("Uint8") UINT8
    }

    @Default("Int8")
    @JsonPropertyDescription("Int8 (full integer, fails on unquantizable ops) or Int8WithFloatFallback.")
    public Mode mode = Mode.INT8;

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
