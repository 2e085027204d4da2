package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A labelled dataset: float and quantized model are both run on it and compared. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EvaluationDatasetSpec extends DatasetSpec {
    public enum LabelSource {
        /** The label is the leading integer of the file name (e.g. {@code 3_cat.png}, {@code sample3.png}). */
        @JsonProperty("FileName")
        FILE_NAME,
        /**
         * One folder per class under the location, as torchvision's ImageFolder: classes are numbered in the sorted
         * order of the folder names, or by the class list in {@code labelsLocation} when given (line i = class i).
         */
        @JsonProperty("Directory")
        DIRECTORY,
        /** One integer label per line in {@code labelsLocation}, in sample order. */
        @JsonProperty("File")
        FILE
    }

    @Required
    @JsonPropertyDescription("Where each sample's label comes from.")
    public LabelSource labels;

    @JsonPropertyDescription("The labels file, required when labels is File; with Directory, an optional class list "
            + "(line i names class i) that numbers the class folders instead of their sorted order.")
    public LocationSpec labelsLocation;
}
