package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quanta.operator.dependent.EngineDefaults;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
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
            @ConfigProperty(name = "quanta.engine.memory-limit", defaultValue = "1Gi") String memoryLimit) {
        var resources = new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(cpuRequest))
                .addToRequests("memory", new Quantity(memoryRequest))
                .addToLimits("memory", new Quantity(memoryLimit))
                .build();
        return new EngineDefaults(image, pullPolicy, resources, null);
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
