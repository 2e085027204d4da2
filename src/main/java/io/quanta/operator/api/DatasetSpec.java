package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Input samples for calibration or evaluation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatasetSpec {
    public enum Format {
        /** A folder of PNG, JPEG, BMP or GIF images. */
        @JsonProperty("Images")
        IMAGES,
        /** Arrays whose first axis is the sample axis: a NumPy .npy or .npz file, or an IDX file. */
        @JsonProperty("Npy")
        NPY,
        /** A folder of 16-bit PCM WAV files (or one file), cut to the model's input length as {@code wav} says. */
        @JsonProperty("Wav")
        WAV
    }

    @Required
    @JsonPropertyDescription("Where the samples are.")
    public LocationSpec location;

    @Required
    @JsonPropertyDescription("How the samples are stored.")
    public Format format;

    @JsonPropertyDescription("How a sample becomes the model's input tensor.")
    public PreprocessingSpec preprocessing;

    @JsonPropertyDescription("With format Wav: how files become samples of the model's input length (default: one "
            + "sample per file at the files' own rate).")
    public WavSpec wav;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("How many samples to use (default: all, at most 100000).")
    public Integer samples;

    public DatasetSpec() {}

    public DatasetSpec(LocationSpec location, Format format) {
        this.location = location;
        this.format = format;
    }
}
