package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Maps a decoded sample value v to the model input {@code v * scale + offset}, after optional resizing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PreprocessingSpec {
    @JsonPropertyDescription("Multiplier applied to every decoded value (e.g. 0.00392156862745098 for 1/255).")
    public Double scale;

    @JsonPropertyDescription("Added after scaling.")
    public Double offset;

    @JsonPropertyDescription("Unset: image files are resized to the model's input height and width, Npy arrays must "
            + "match its shape. true: arrays are resized and colour-converted too. false: nothing is resized.")
    public Boolean resize;

    @JsonPropertyDescription("Convert images to a single grayscale channel.")
    public Boolean grayscale;
}
