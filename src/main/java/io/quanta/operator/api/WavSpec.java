package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** How WAV files become samples of the model's input length (the CLI's --wav-hop and --wav-sample-rate). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WavSpec {
    @Min(0)
    @JsonPropertyDescription("Cut each file into windows of the model's input length starting every hop samples; 0 "
            + "(default) takes one sample per file, zero-padded or truncated to the input length.")
    public Integer hop;

    @Min(0)
    @JsonPropertyDescription("Resample every file to this rate in Hz first (linear interpolation); 0 (default) keeps "
            + "the files' own rate, which must then be the same for all.")
    public Integer sampleRate;

    public WavSpec() {}

    public WavSpec(Integer hop, Integer sampleRate) {
        this.hop = hop;
        this.sampleRate = sampleRate;
    }
}
