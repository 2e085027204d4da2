package io.quanta.operator.dependent;

import io.quanta.operator.api.EnginePodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The admin's rules for spec.pod (the chart's {@code policy.pod} values) and the operator's own pod defaults. A
 * toleration lets a pod onto dedicated nodes, a priority class can preempt other teams' pods, a label can match
 * a NetworkPolicy and an annotation can switch off a sidecar or a security profile: each is allowed only when the
 * admin lists it. A list holds exact names or prefixes ending in {@code *}; {@code *} alone allows all; an empty
 * list forbids the field.
 *
 * @param allowNodeSelection      whether spec.pod may set nodeSelector and affinity (they only narrow placement)
 * @param allowedPriorityClasses  PriorityClasses spec.pod.priorityClassName may name
 * @param allowedTolerationKeys   taint keys spec.pod.tolerations may tolerate (a key-less toleration matches all
 *                                taints, so it needs {@code *})
 * @param allowedImagePullSecrets Secrets spec.pod.imagePullSecrets may name
 * @param allowedLabels           label keys spec.pod.labels may set
 * @param allowedAnnotations      annotation keys spec.pod.annotations may set
 * @param defaultLabels           labels of every engine pod
 * @param defaultAnnotations      annotations of every engine pod (by default {@code sidecar.istio.io/inject:
 *                                "false"}: a mesh sidecar would keep the pod, and with it the Job, running)
 */
public record PodPolicy(
        boolean allowNodeSelection,
        List<String> allowedPriorityClasses,
        List<String> allowedTolerationKeys,
        List<String> allowedImagePullSecrets,
        List<String> allowedLabels,
        List<String> allowedAnnotations,
        Map<String, String> defaultLabels,
        Map<String, String> defaultAnnotations) {

    public static final Map<String, String> DEFAULT_ANNOTATIONS = Map.of("sidecar.istio.io/inject", "false");

    /** The chart's defaults: node selection allowed, nothing else, no sidecar injection. */
    public static final PodPolicy DEFAULT =
            new PodPolicy(true, List.of(), List.of(), List.of(), List.of(), List.of(), Map.of(), DEFAULT_ANNOTATIONS);

    /**
     * Keys no spec may set whatever the policy says: the operator's own labels (its informers select on them), the
     * Job controller's, Kueue's, and the annotations that would weaken the pod's seccomp or AppArmor profile.
     */
    static final List<String> RESERVED_LABELS = List.of(
            "app.kubernetes.io/*",
            "quanta.io/*",
            "kueue.x-k8s.io/*",
            "batch.kubernetes.io/*",
            "controller-uid",
            "job-name");

    static final List<String> RESERVED_ANNOTATIONS = List.of(
            "quanta.io/*",
            "kueue.x-k8s.io/*",
            "seccomp.security.alpha.kubernetes.io/*",
            "container.seccomp.security.alpha.kubernetes.io/*",
            "container.apparmor.security.beta.kubernetes.io/*");

    public PodPolicy {
        allowedPriorityClasses = copy(allowedPriorityClasses);
        allowedTolerationKeys = copy(allowedTolerationKeys);
        allowedImagePullSecrets = copy(allowedImagePullSecrets);
        allowedLabels = copy(allowedLabels);
        allowedAnnotations = copy(allowedAnnotations);
        defaultLabels = defaultLabels == null ? Map.of() : Map.copyOf(defaultLabels);
        defaultAnnotations = defaultAnnotations == null ? Map.of() : Map.copyOf(defaultAnnotations);
    }

    /** Every way {@code pod} exceeds this policy, each naming the field. */
    public List<String> violations(EnginePodSpec pod) {
        List<String> out = new ArrayList<>();
        if (pod == null) {
            return out;
        }
        if (!allowNodeSelection) {
            if (pod.nodeSelector != null && !pod.nodeSelector.isEmpty()) {
                out.add("spec.pod.nodeSelector is not allowed (the operator's policy forbids node selection)");
            }
            if (pod.affinity != null) {
                out.add("spec.pod.affinity is not allowed (the operator's policy forbids node selection)");
            }
        }
        if (pod.priorityClassName != null && !matches(pod.priorityClassName, allowedPriorityClasses)) {
            out.add("spec.pod.priorityClassName '" + pod.priorityClassName + "' is not an allowed priority class "
                    + allowed(allowedPriorityClasses));
        }
        List<EnginePodSpec.TolerationSpec> tolerations = pod.tolerations == null ? List.of() : pod.tolerations;
        for (int i = 0; i < tolerations.size(); i++) {
            String key = tolerations.get(i).key;
            boolean ok = key == null || key.isEmpty()
                    ? allowedTolerationKeys.contains("*")
                    : matches(key, allowedTolerationKeys);
            if (!ok) {
                out.add("spec.pod.tolerations[" + i + "].key '" + (key == null ? "" : key)
                        + "' is not an allowed taint key " + allowed(allowedTolerationKeys));
            }
        }
        List<io.quanta.operator.api.SecretReference> secrets =
                pod.imagePullSecrets == null ? List.of() : pod.imagePullSecrets;
        for (int i = 0; i < secrets.size(); i++) {
            String name = secrets.get(i).name;
            if (name == null || !matches(name, allowedImagePullSecrets)) {
                out.add("spec.pod.imagePullSecrets[" + i + "] '" + name + "' is not an allowed pull secret "
                        + allowed(allowedImagePullSecrets));
            }
        }
        keys("labels", pod.labels, allowedLabels, RESERVED_LABELS, out);
        keys("annotations", pod.annotations, allowedAnnotations, RESERVED_ANNOTATIONS, out);
        return out;
    }

    /** The engine pod's extra labels: the defaults, then the spec's. */
    public Map<String, String> labelsFor(EnginePodSpec pod) {
        return merged(defaultLabels, pod == null ? null : pod.labels);
    }

    /** The engine pod's extra annotations: the defaults, then the spec's (which may override them). */
    public Map<String, String> annotationsFor(EnginePodSpec pod) {
        return merged(defaultAnnotations, pod == null ? null : pod.annotations);
    }

    private static Map<String, String> merged(Map<String, String> defaults, Map<String, String> asked) {
        Map<String, String> out = new LinkedHashMap<>(new TreeMap<>(defaults));
        if (asked != null) {
            out.putAll(new TreeMap<>(asked));
        }
        return out;
    }

    private static void keys(
            String field,
            Map<String, String> asked,
            List<String> allowedKeys,
            List<String> reserved,
            List<String> out) {
        if (asked == null) {
            return;
        }
        new TreeMap<>(asked).keySet().forEach(key -> {
            if (matches(key, reserved)) {
                out.add("spec.pod." + field + " '" + key + "' is reserved (" + String.join(", ", reserved) + ")");
            } else if (!matches(key, allowedKeys)) {
                out.add("spec.pod." + field + " '" + key + "' is not an allowed key " + allowed(allowedKeys));
            }
        });
    }

    /** Whether {@code value} equals an entry of {@code patterns} or starts with one ending in {@code *}. */
    static boolean matches(String value, List<String> patterns) {
        return patterns.stream()
                .anyMatch(p -> p.endsWith("*") ? value.startsWith(p.substring(0, p.length() - 1)) : p.equals(value));
    }

    private static String allowed(List<String> patterns) {
        return patterns.isEmpty() ? "(the operator allows none)" : patterns.toString();
    }

    private static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
