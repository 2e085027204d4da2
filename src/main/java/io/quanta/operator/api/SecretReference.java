package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the QuantizationJob's own namespace. */
public class SecretReference {
    @Required
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Secret.")
    public String name;

    public SecretReference() {}

    public SecretReference(String name) {
        this.name = name;
    }
}
