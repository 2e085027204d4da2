package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EnginePolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
                    long maxDownloadBytes) {
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
                maxDownloadBytes);
    }

    /**
     * Only one replica reconciles at a time; the Lease lives in the operator's namespace. Active in the prod
     * profile (quarkus.operator-sdk.activate-leader-election-for-profiles).
     */
    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "quanta.operator.lease-name", defaultValue = "quanta-operator") String lease) {
        return new LeaderElectionConfiguration(lease);
    }
}
