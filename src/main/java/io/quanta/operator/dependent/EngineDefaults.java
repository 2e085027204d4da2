package io.quanta.operator.dependent;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Objects;

/**
 * Operator-wide settings for engine pods, used where a QuantizationJob does not say otherwise.
 *
 * @param image           engine image (normally the operator's own image)
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param resources       container resources when the spec gives none
 * @param command         the command that starts the engine step inside the image
 */
public record EngineDefaults(String image, String imagePullPolicy, ResourceRequirements resources,
                             List<String> command) {

    /**
     * The CLI of the same artifact, started from the Quarkus fast-jar that the image holds at /app, with the
     * incubator Vector API module so that the engine's kernels take their SIMD path.
     */
    public static final List<String> DEFAULT_COMMAND = List.of(
            "java", "--add-modules", "jdk.incubator.vector", "-XX:MaxRAMPercentage=75", "-XX:-UsePerfData",
            "-Djava.io.tmpdir=/tmp",
            "-jar", "/app/quarkus-run.jar", "job", "step");

    public EngineDefaults {
        Objects.requireNonNull(image, "engine image");
        imagePullPolicy = imagePullPolicy == null ? "IfNotPresent" : imagePullPolicy;
        resources = resources == null ? defaultResources() : resources;
        command = command == null || command.isEmpty() ? DEFAULT_COMMAND : List.copyOf(command);
    }

    public static EngineDefaults of(String image) {
        return new EngineDefaults(image, null, null, null);
    }

    /** Enough for the small models we target; the memory limit is the one that turns a runaway into OOMKilled. */
    public static ResourceRequirements defaultResources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("512Mi"))
                .addToLimits("memory", new Quantity("1Gi"))
                .build();
    }
}
