package io.quanta.operator.dependent;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.ModelVolume;
import io.quanta.operator.api.QuantizationJobSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the cluster admin lets a QuantizationJob ask for (the chart's {@code policy} values). Anyone who may
 * create a QuantizationJob gets a pod made from it, so every field that reaches the pod is bounded here, and a
 * violation is decided before any Job is built.
 *
 * @param allowedHostPaths       node path prefixes a hostPath volume may name; empty forbids hostPath
 * @param allowedImages          images spec.image may name (exact, or a prefix ending in {@code *}); empty allows
 *                               only the operator's engine image
 * @param maxResources           per resource name (cpu, memory, ephemeral-storage): the largest request or limit
 * @param allowedServiceAccounts service accounts spec.serviceAccountName may name (workload identity)
 * @param tmpSize                size of the engine's /tmp emptyDir (download cache and staging)
 * @param maxDownloadBytes       the engine's download cap (QUANTA_MAX_DOWNLOAD_BYTES); must fit in /tmp
 * @param pod                    what spec.pod may ask for, and the pod's default labels and annotations
 */
public record EnginePolicy(
        List<String> allowedHostPaths,
        List<String> allowedImages,
        Map<String, Quantity> maxResources,
        List<String> allowedServiceAccounts,
        Quantity tmpSize,
        long maxDownloadBytes,
        PodPolicy pod) {

    public static final Quantity DEFAULT_TMP_SIZE = new Quantity("3Gi");
    public static final long DEFAULT_MAX_DOWNLOAD_BYTES = 2L << 30;

    /** The chart's defaults: no hostPath, only the engine image, bounded resources, no service accounts. */
    public static final EnginePolicy DEFAULT = new EnginePolicy(
            List.of(),
            List.of(),
            Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"), "ephemeral-storage", new Quantity("8Gi")),
            List.of(),
            DEFAULT_TMP_SIZE,
            DEFAULT_MAX_DOWNLOAD_BYTES,
            PodPolicy.DEFAULT);

    /** A policy with the default {@link PodPolicy}. */
    public EnginePolicy(
            List<String> allowedHostPaths,
            List<String> allowedImages,
            Map<String, Quantity> maxResources,
            List<String> allowedServiceAccounts,
            Quantity tmpSize,
            long maxDownloadBytes) {
        this(
                allowedHostPaths,
                allowedImages,
                maxResources,
                allowedServiceAccounts,
                tmpSize,
                maxDownloadBytes,
                PodPolicy.DEFAULT);
    }

    public EnginePolicy withPod(PodPolicy newPod) {
        return new EnginePolicy(
                allowedHostPaths,
                allowedImages,
                maxResources,
                allowedServiceAccounts,
                tmpSize,
                maxDownloadBytes,
                newPod);
    }

    public EnginePolicy {
        allowedHostPaths = allowedHostPaths == null ? List.of() : List.copyOf(allowedHostPaths);
        allowedImages = allowedImages == null ? List.of() : List.copyOf(allowedImages);
        maxResources = maxResources == null ? Map.of() : Map.copyOf(new TreeMap<>(maxResources));
        allowedServiceAccounts = allowedServiceAccounts == null ? List.of() : List.copyOf(allowedServiceAccounts);
        tmpSize = tmpSize == null ? DEFAULT_TMP_SIZE : tmpSize;
        pod = pod == null ? PodPolicy.DEFAULT : pod;
        for (String prefix : allowedHostPaths) {
            if (!prefix.startsWith("/") || hasDotDot(prefix)) {
                throw new IllegalArgumentException("allowed host path '" + prefix + "' must be absolute, without ..");
            }
        }
        // A download that fills /tmp gets the pod evicted, which the user cannot tell from any other failure.
        if (bytes(tmpSize).compareTo(BigDecimal.valueOf(maxDownloadBytes)) < 0) {
            throw new IllegalArgumentException("engine /tmp size " + tmpSize + " is smaller than the download cap "
                    + maxDownloadBytes + " bytes; raise engine.tmpSize or lower engine.maxDownloadBytes");
        }
    }

    /** Every way {@code spec} (run with {@code resources}) exceeds this policy, each naming the field. */
    public List<String> violations(QuantizationJobSpec spec, String engineImage, ResourceRequirements resources) {
        List<String> out = new ArrayList<>();
        List<ModelVolume> volumes = spec.volumes == null ? List.of() : spec.volumes;
        for (int i = 0; i < volumes.size(); i++) {
            String hostPath = volumes.get(i).hostPath;
            if (hostPath != null && !hostPathAllowed(hostPath)) {
                out.add("spec.volumes[" + i + "].hostPath '" + hostPath + "' is not under an allowed host path "
                        + (allowedHostPaths.isEmpty() ? "(the operator allows none)" : allowedHostPaths));
            }
        }
        if (spec.image != null && !imageAllowed(spec.image, engineImage)) {
            out.add("spec.image '" + spec.image + "' is not an allowed image "
                    + (allowedImages.isEmpty()
                            ? "(only the operator's engine image " + engineImage + ")"
                            : allowedImages));
        }
        if (resources != null) {
            checkResources("requests", resources.getRequests(), out);
            checkResources("limits", resources.getLimits(), out);
        }
        boolean accountAllowed =
                spec.serviceAccountName != null && allowedServiceAccounts.contains(spec.serviceAccountName);
        if (spec.serviceAccountName != null && !accountAllowed) {
            out.add("spec.serviceAccountName '" + spec.serviceAccountName + "' is not an allowed service account "
                    + (allowedServiceAccounts.isEmpty() ? "(the operator allows none)" : allowedServiceAccounts));
        }
        if (!accountAllowed) {
            locations(spec).forEach((field, location) -> {
                if (location.uri != null && location.uri.startsWith("s3://") && location.secretRef == null) {
                    // Without either, the SDK's default chain would fall back to the node's instance role.
                    out.add(field + " is an s3:// location without secretRef; set a secretRef or an allowed "
                            + "spec.serviceAccountName (workload identity)");
                }
            });
        }
        out.addAll(pod.violations(spec.pod));
        return out;
    }

    boolean hostPathAllowed(String path) {
        if (hasDotDot(path)) {
            return false;
        }
        return allowedHostPaths.stream().anyMatch(prefix -> under(path, prefix));
    }

    boolean imageAllowed(String image, String engineImage) {
        if (image.equals(engineImage)) {
            return true;
        }
        return PodPolicy.matches(image, allowedImages);
    }

    private void checkResources(String kind, Map<String, Quantity> asked, List<String> out) {
        if (asked == null) {
            return;
        }
        new TreeMap<>(asked).forEach((name, quantity) -> {
            Quantity max = maxResources.get(name);
            if (max != null && bytes(quantity).compareTo(bytes(max)) > 0) {
                out.add("spec.resources." + kind + "." + name + " " + quantity + " exceeds the maximum " + max);
            }
        });
    }

    /** The locations of {@code spec} by field name, in spec order. */
    private static Map<String, LocationSpec> locations(QuantizationJobSpec spec) {
        Map<String, LocationSpec> out = new java.util.LinkedHashMap<>();
        out.put("spec.model", spec.model);
        out.put("spec.calibration.location", spec.calibration == null ? null : spec.calibration.location);
        out.put("spec.evaluation.location", spec.evaluation == null ? null : spec.evaluation.location);
        out.put("spec.evaluation.labelsLocation", spec.evaluation == null ? null : spec.evaluation.labelsLocation);
        out.put("spec.output", spec.output);
        out.values().removeIf(Objects::isNull);
        return out;
    }

    private static boolean under(String path, String prefix) {
        String p = prefix.length() > 1 && prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.equals("/") || path.equals(p) || path.startsWith(p + "/");
    }

    private static boolean hasDotDot(String path) {
        return Stream.of(path.split("/")).anyMatch(".."::equals);
    }

    static BigDecimal bytes(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }
}
