package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A volume mounted into the engine pod, so that file locations can point at models, datasets and the output.
 * Exactly one source (persistentVolumeClaim or hostPath) must be set; the operator checks that.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVolume {
    @Required
    @Pattern(Patterns.DNS_LABEL)
    @JsonPropertyDescription("Volume name (a DNS label).")
    public String name;

    @Required
    @Pattern("^/[^:]*$")
    @JsonPropertyDescription("Absolute mount path in the engine container.")
    public String mountPath;

    @JsonPropertyDescription("Mount read-only (default false; the output location needs a writable volume).")
    public Boolean readOnly;

    @JsonPropertyDescription("Name of a PersistentVolumeClaim in the same namespace.")
    public String claimName;

    @Pattern("^/.*$")
    @JsonPropertyDescription("A directory on the node (needs a cluster policy that allows hostPath).")
    public String hostPath;

    public ModelVolume() {}
}
