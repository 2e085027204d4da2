package io.quanta.operator.dependent;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Operator-wide settings for engine pods, used where a QuantizationJob does not say otherwise.
 *
 * @param image           engine image (normally the operator's own image)
 * @param imagePullPolicy Always, IfNotPresent or Never
 * @param resources       container resources when the spec gives none
 * @param command         the command that starts the engine step inside the image
 * @param policy          what a QuantizationJob may ask for beyond these defaults
 */
public record EngineDefaults(
        String image,
        String imagePullPolicy,
        ResourceRequirements resources,
        List<String> command,
        EnginePolicy policy) {

    public static final String EPHEMERAL = "ephemeral-storage";

    /** The share of the container's memory limit the engine JVM takes as heap (the rest: stacks, code, buffers). */
    public static final int HEAP_PERCENT = 75;

    /** The JVM flag that sizes the heap from the container's memory limit. */
    public static final String HEAP_FLAG = "-XX:MaxRAMPercentage=" + HEAP_PERCENT;

    /**
     * Flags for an engine pod's JVM, which shares a node's cores with other pods. Most runs are short (seconds of
     * work), and there C2's compilations were half of the CPU a run took (6.9 CPU-s for a small model, 3.3 with
     * these flags): C2 starts later, so a short run stops before compiling what it would barely use, and a long
     * one still reaches C2 within its first seconds (resnet8 with 100 + 100 samples: the same CPU and wall time).
     * The serial collector: a batch job with a small, mostly static heap needs no concurrent GC threads.
     */
    static final List<String> JIT_AND_GC_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-XX:Tier4InvocationThreshold=20000",
            "-XX:Tier4MinInvocationThreshold=6000",
            "-XX:Tier4CompileThreshold=40000",
            "-XX:Tier4BackEdgeThreshold=200000");

    /**
     * The CLI of the same artifact, started from the Quarkus fast-jar that the image holds at /app, with the
     * incubator Vector API module so that the engine's kernels take their SIMD path.
     */
    public static final List<String> DEFAULT_COMMAND = java.util.stream.Stream.of(
                    List.of("java", "--add-modules", "jdk.incubator.vector", HEAP_FLAG, "-XX:-UsePerfData"),
                    JIT_AND_GC_FLAGS,
                    List.of("-Djava.io.tmpdir=/tmp", "-jar", "/app/quarkus-run.jar", "job", "step"))
            .flatMap(List::stream)
            .toList();

    public EngineDefaults {
        Objects.requireNonNull(image, "engine image");
        imagePullPolicy = imagePullPolicy == null ? "IfNotPresent" : imagePullPolicy;
        resources = resources == null ? defaultResources() : resources;
        command = command == null || command.isEmpty() ? DEFAULT_COMMAND : List.copyOf(command);
        policy = policy == null ? EnginePolicy.DEFAULT : policy;
        Quantity ephemeralLimit =
                resources.getLimits() == null ? null : resources.getLimits().get(EPHEMERAL);
        if (ephemeralLimit != null
                && EnginePolicy.bytes(ephemeralLimit).compareTo(EnginePolicy.bytes(policy.tmpSize())) < 0) {
            throw new IllegalArgumentException("the engine's default ephemeral-storage limit " + ephemeralLimit
                    + " is smaller than its /tmp size " + policy.tmpSize());
        }
    }

    public EngineDefaults(String image, String imagePullPolicy, ResourceRequirements resources, List<String> command) {
        this(image, imagePullPolicy, resources, command, null);
    }

    public static EngineDefaults of(String image) {
        return new EngineDefaults(image, null, null, null, null);
    }

    public EngineDefaults withPolicy(EnginePolicy newPolicy) {
        return new EngineDefaults(image, imagePullPolicy, resources, command, newPolicy);
    }

    /**
     * The engine container's resources for {@code spec}: its own when it sets them, else the defaults. Limits it
     * leaves out are taken from the defaults (never below its own request), so that memory and ephemeral storage
     * stay bounded and a full /tmp is an eviction the status can name rather than a node under pressure.
     */
    public ResourceRequirements resourcesFor(io.quanta.operator.api.QuantizationJobSpec spec) {
        ResourceRequirements asked = spec.resources;
        if (asked == null) {
            return resources;
        }
        Map<String, Quantity> requests = new TreeMap<>(asked.getRequests() == null ? Map.of() : asked.getRequests());
        Map<String, Quantity> limits = new TreeMap<>(asked.getLimits() == null ? Map.of() : asked.getLimits());
        Map<String, Quantity> defaultLimits = resources.getLimits() == null ? Map.of() : resources.getLimits();
        Map<String, Quantity> defaultRequests = resources.getRequests() == null ? Map.of() : resources.getRequests();
        defaultLimits.forEach((name, limit) -> {
            if (!limits.containsKey(name)) {
                Quantity request = requests.get(name);
                boolean requestAbove =
                        request != null && EnginePolicy.bytes(request).compareTo(EnginePolicy.bytes(limit)) > 0;
                limits.put(name, requestAbove ? request : limit);
                // Else the API server would default the request to the whole limit (e.g. 4Gi of node disk).
                if (request == null && defaultRequests.containsKey(name)) {
                    requests.put(name, defaultRequests.get(name));
                }
            }
        });
        return new ResourceRequirementsBuilder(asked)
                .withRequests(requests)
                .withLimits(limits)
                .build();
    }

    /**
     * Enough for the small models we target; the memory limit is the one that turns a runaway into OOMKilled,
     * the ephemeral-storage limit holds /tmp (3Gi, above the 2GiB download cap) plus logs.
     */
    public static ResourceRequirements defaultResources() {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("500m"))
                .addToRequests("memory", new Quantity("512Mi"))
                .addToRequests(EPHEMERAL, new Quantity("1Gi"))
                .addToLimits("memory", new Quantity("1Gi"))
                .addToLimits(EPHEMERAL, new Quantity("4Gi"))
                .build();
    }
}
