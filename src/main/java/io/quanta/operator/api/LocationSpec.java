package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * Where a file or folder lives: a path inside the engine pod (on a mounted volume), or an https:// or s3:// URI.
 * Credentials never appear inline: {@code secretRef} names a Secret in the same namespace.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocationSpec {
    @Required
    @Pattern("^(/|file:///|https://|s3://)\\S+$")
    @JsonPropertyDescription("Absolute path in the engine pod (or file:///...), https://... or s3://bucket/key.")
    public String uri;

    @JsonPropertyDescription("Secret (same namespace) with credentials for this location; its keys become "
            + "environment variables of the engine container.")
    public SecretReference secretRef;

    public LocationSpec() {}

    public LocationSpec(String uri) {
        this.uri = uri;
    }
}
