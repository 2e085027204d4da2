package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * The schema of spec.resources: a core/v1 ResourceRequirements without the alpha {@code claims} (Kubernetes 1.26+),
 * described for {@code kubectl explain}. Only the CRD uses it; the field itself is a fabric8 ResourceRequirements.
 */
public final class EngineResources {
    @JsonPropertyDescription("Upper bounds per resource (cpu, memory, ephemeral-storage); missing ones come from the "
            + "operator's defaults, never above the policy's maxResources.")
    public Map<String, Quantity> limits;

    @JsonPropertyDescription("What the scheduler reserves per resource (cpu, memory, ephemeral-storage).")
    public Map<String, Quantity> requests;

    private EngineResources() {}
}
