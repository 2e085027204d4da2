package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Affinity;
import java.util.List;
import java.util.Map;

/**
 * Where and how the engine pod runs on a shared cluster: scheduling hints, pull secrets, extra labels and
 * annotations. Every field is checked against the operator's policy before a Job is built.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnginePodSpec {
    @JsonPropertyDescription("Node labels the engine pod must match (pod.spec.nodeSelector).")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Taints the engine pod tolerates; each key must be one the operator's policy allows.")
    public List<TolerationSpec> tolerations;

    // The core/v1 Affinity schema is several hundred lines; the API server validates it when the Job is created
    // (a refusal fails the run with reason JobCreateRefused and the server's message).
    @SchemaFrom(type = Object.class)
    @PreserveUnknownFields
    @JsonPropertyDescription("Node and pod (anti-)affinity of the engine pod, as core/v1 Affinity "
            + "(nodeAffinity, podAffinity, podAntiAffinity).")
    public Affinity affinity;

    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("PriorityClass of the engine pod; must be one the operator's policy allows.")
    public String priorityClassName;

    @JsonPropertyDescription("Secrets in this namespace for pulling spec.image from a private registry; each must be "
            + "one the operator's policy allows.")
    public List<SecretReference> imagePullSecrets;

    @JsonPropertyDescription("Extra labels of the engine pod; keys must be ones the operator's policy allows.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Extra annotations of the engine pod (they override the operator's defaults, e.g. "
            + "sidecar.istio.io/inject); keys must be ones the operator's policy allows.")
    public Map<String, String> annotations;

    /** One toleration of core/v1, with the enums the API server accepts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TolerationSpec {
        @JsonPropertyDescription("Taint key to tolerate; empty with operator Exists tolerates every taint.")
        public String key;

        @JsonPropertyDescription("Exists (any value) or Equal (the value below; the default).")
        public Operator operator;

        @JsonPropertyDescription("Taint value to match with operator Equal.")
        public String value;

        @JsonPropertyDescription("Taint effect to tolerate (NoSchedule, PreferNoSchedule, NoExecute); empty = all.")
        public Effect effect;

        @JsonPropertyDescription("With effect NoExecute: how long the pod stays bound after the taint appears.")
        public Long tolerationSeconds;

        public TolerationSpec() {}

        public TolerationSpec(String key, Operator operator, String value, Effect effect) {
            this.key = key;
            this.operator = operator;
            this.value = value;
            this.effect = effect;
        }

        public enum Operator {
            Exists,
            Equal
        }

        public enum Effect {
            NoSchedule,
            PreferNoSchedule,
            NoExecute
        }
    }
}
