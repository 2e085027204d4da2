package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EnginePolicy;
import io.quanta.operator.dependent.PodPolicy;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Operator settings from application.properties / environment, as beans. */
@Singleton
public class OperatorBeans {

    @Produces
    @Singleton
    EngineDefaults engineDefaults(
            @ConfigProperty(name = "quanta.engine.image") String image,
            @ConfigProperty(name = "quanta.engine.image-pull-policy", defaultValue = "IfNotPresent") String pullPolicy,
            @ConfigProperty(name = "quanta.engine.cpu-request", defaultValue = "500m") String cpuRequest,
            @ConfigProperty(name = "quanta.engine.memory-request", defaultValue = "512Mi") String memoryRequest,
            @ConfigProperty(name = "quanta.engine.memory-limit", defaultValue = "1Gi") String memoryLimit,
            @ConfigProperty(name = "quanta.engine.ephemeral-storage-request", defaultValue = "1Gi")
                    String ephemeralRequest,
            @ConfigProperty(name = "quanta.engine.ephemeral-storage-limit", defaultValue = "4Gi") String ephemeralLimit,
            EnginePolicy policy) {
        var resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpuRequest))
                .addToRequests("memory", new Quantity(memoryRequest))
                .addToRequests(EngineDefaults.EPHEMERAL, new Quantity(ephemeralRequest))
                .addToLimits("memory", new Quantity(memoryLimit))
                .addToLimits(EngineDefaults.EPHEMERAL, new Quantity(ephemeralLimit))
                .build();
        return new EngineDefaults(image, pullPolicy, resources, null, policy);
    }

    /** The admin's policy (the chart's {@code policy} values); a list left empty keeps its safe default. */
    @Produces
    @Singleton
    EnginePolicy enginePolicy(
            @ConfigProperty(name = "quanta.policy.allowed-host-paths") Optional<List<String>> hostPaths,
            @ConfigProperty(name = "quanta.policy.allowed-images") Optional<List<String>> images,
            @ConfigProperty(name = "quanta.policy.allowed-service-accounts") Optional<List<String>> accounts,
            @ConfigProperty(name = "quanta.policy.max-cpu", defaultValue = "4") String maxCpu,
            @ConfigProperty(name = "quanta.policy.max-memory", defaultValue = "8Gi") String maxMemory,
            @ConfigProperty(name = "quanta.policy.max-ephemeral-storage", defaultValue = "8Gi") String maxEphemeral,
            @ConfigProperty(name = "quanta.engine.tmp-size", defaultValue = "3Gi") String tmpSize,
            @ConfigProperty(name = "quanta.engine.max-download-bytes", defaultValue = "2147483648")
                    long maxDownloadBytes,
            PodPolicy pod) {
        Map<String, Quantity> max = Map.of(
                "cpu",
                new Quantity(maxCpu),
                "memory",
                new Quantity(maxMemory),
                EngineDefaults.EPHEMERAL,
                new Quantity(maxEphemeral));
        return new EnginePolicy(
                hostPaths.orElse(List.of()),
                images.orElse(List.of()),
                max,
                accounts.orElse(List.of()),
                new Quantity(tmpSize),
                maxDownloadBytes,
                pod);
    }

    /**
     * The chart's {@code policy.pod} and {@code engine.podLabels}/{@code podAnnotations} values; maps arrive as
     * comma-separated {@code key=value} pairs.
     */
    @Produces
    @Singleton
    PodPolicy podPolicy(
            @ConfigProperty(name = "quanta.policy.pod.allow-node-selection", defaultValue = "true")
                    boolean nodeSelection,
            @ConfigProperty(name = "quanta.policy.pod.allowed-priority-classes") Optional<List<String>> priorityClasses,
            @ConfigProperty(name = "quanta.policy.pod.allowed-toleration-keys") Optional<List<String>> tolerationKeys,
            @ConfigProperty(name = "quanta.policy.pod.allowed-image-pull-secrets") Optional<List<String>> pullSecrets,
            @ConfigProperty(name = "quanta.policy.pod.allowed-labels") Optional<List<String>> labels,
            @ConfigProperty(name = "quanta.policy.pod.allowed-annotations") Optional<List<String>> annotations,
            @ConfigProperty(name = "quanta.engine.pod-labels") Optional<List<String>> podLabels,
            @ConfigProperty(name = "quanta.engine.pod-annotations", defaultValue = "sidecar.istio.io/inject=false")
                    Optional<List<String>> podAnnotations) {
        return new PodPolicy(
                nodeSelection,
                priorityClasses.orElse(List.of()),
                tolerationKeys.orElse(List.of()),
                pullSecrets.orElse(List.of()),
                labels.orElse(List.of()),
                annotations.orElse(List.of()),
                pairs("quanta.engine.pod-labels", podLabels.orElse(List.of())),
                pairs("quanta.engine.pod-annotations", podAnnotations.orElse(List.of())));
    }

    /** {@code key=value} entries as a map; a malformed one stops the operator at start with its setting named. */
    static Map<String, String> pairs(String setting, List<String> entries) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not key=value");
            }
            out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return out;
    }

    /** The chart's {@code queue} values; 0 = no limit. */
    @Produces
    @Singleton
    Admission.Limits queueLimits(
            @ConfigProperty(name = "quanta.queue.max-concurrent-jobs", defaultValue = "0") int global,
            @ConfigProperty(name = "quanta.queue.max-concurrent-jobs-per-namespace", defaultValue = "0")
                    int perNamespace,
            @ConfigProperty(name = "quanta.queue.namespace-limits") Optional<List<String>> namespaces) {
        Map<String, Integer> limits = new java.util.LinkedHashMap<>();
        pairs("quanta.queue.namespace-limits", namespaces.orElse(List.of())).forEach((ns, n) -> {
            try {
                limits.put(ns, Integer.parseInt(n));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "quanta.queue.namespace-limits: '" + ns + "=" + n + "' is not namespace=number");
            }
        });
        return new Admission.Limits(global, perNamespace, limits);
    }

    /**
     * Only one replica reconciles at a time; the Lease lives in the operator's namespace. Active in the prod
     * profile (quarkus.operator-sdk.activate-leader-election-for-profiles). The identity is the pod name, which
     * the tests and an SRE match against the Lease holder.
     */
    @Produces
    @Singleton
    Leadership leadership(
            KubernetesClient client,
            @ConfigProperty(name = "quanta.operator.lease-name", defaultValue = "quanta-operator") String lease,
            @ConfigProperty(name = "quanta.operator.identity") Optional<String> identity) {
        return new Leadership(
                client,
                client.getNamespace(),
                lease,
                identity.filter(s -> !s.isBlank())
                        .orElseGet(() -> UUID.randomUUID().toString()));
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            Leadership leadership,
            @ConfigProperty(name = "quanta.operator.lease.duration", defaultValue = "10s") Duration leaseDuration,
            @ConfigProperty(name = "quanta.operator.lease.renew-deadline", defaultValue = "7s") Duration renewDeadline,
            @ConfigProperty(name = "quanta.operator.lease.retry-period", defaultValue = "1s") Duration retryPeriod) {
        return leadership.configuration(new Leadership.Timings(leaseDuration, renewDeadline, retryPeriod).check());
    }

    /** Runs before the operator stops (QOSDK's observer has a later priority): its cancelled Lease is handed over. */
    void stopping(@Observes @Priority(1) ShutdownEvent event, Leadership leadership) {
        leadership.shuttingDown();
    }
}
