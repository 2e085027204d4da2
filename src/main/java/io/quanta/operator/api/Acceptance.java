package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** When a finished run counts as good enough. */
public class Acceptance {
    @Required
    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Largest allowed accuracy drop (float accuracy minus quantized accuracy, 0..1).")
    public Double maxAccuracyDrop;

    public Acceptance() {}

    public Acceptance(double maxAccuracyDrop) {
        this.maxAccuracyDrop = maxAccuracyDrop;
    }
}
