package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * When a finished run counts as good enough: the accuracy budget, in any of three measures (at least one). With
 * spec.quantization.search.strategy Greedy the engine keeps the most sensitive ops float until the budget holds.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public class Acceptance {
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Largest allowed accuracy drop (float accuracy minus quantized accuracy, 0..1).")
    public Double maxAccuracyDrop;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Smallest allowed top-1 agreement with the float model, in (0, 1]; needs no labels.")
    public Double minAgreement;

    @JsonPropertyDescription("Smallest allowed output SQNR of the quantized model against the float one, in dB.")
    public Double minSqnrDb;

    public Acceptance() {}

    public Acceptance(double maxAccuracyDrop) {
        this.maxAccuracyDrop = maxAccuracyDrop;
    }
}
