package io.quanta.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quanta.operator.api.QuantizationJob;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator installed once per test run with {@code helm install} from our chart and image, shared by every
 * test class that needs it; uninstalled (and its namespace deleted) when the whole run ends. Installing per class
 * would cost a rollout each time, and two releases of the chart cannot coexist (cluster-scoped RBAC names).
 */
final class OperatorRelease implements BeforeAllCallback {
    static final String RELEASE = "quanta-operator";
    static final String SYSTEM_NS = "quanta-system";
    static final String SA = "system:serviceaccount:" + SYSTEM_NS + ":" + RELEASE;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(OperatorRelease.class, key -> install(), Installed.class);
    }

    private static Installed install() {
        KubernetesClient client = Cluster.client();
        try {
            Cluster.allowRuntimeDefaultSeccomp(client);
            // helm installs a chart's CRDs only when they are missing; an earlier run may have left an older one.
            Cluster.applyCrd(client);
            Cluster.awaitNotTerminating(client, SYSTEM_NS);
            Cluster.installChart(RELEASE, SYSTEM_NS)
                    .set("engine.memoryRequest", "128Mi")
                    .set("engine.cpuRequest", "100m")
                    // The scenarios mount ../shared and per-test output folders under /tmp through hostPath; the
                    // chart's default policy forbids every hostPath.
                    .set("policy.allowedHostPaths[0]", "/tmp")
                    .set("policy.allowedHostPaths[1]", Cluster.shared().toString())
                    // Room for the unschedulable requests of the tests (64 CPUs) and one above it to refuse.
                    .set("policy.maxResources.cpu", "64000m")
                    // HealthAndSchedulingTest's spec.pod fields; it checks that others are refused.
                    .set("policy.pod.allowedPriorityClasses[0]", HealthAndSchedulingTest.PRIORITY_CLASS)
                    .set("policy.pod.allowedTolerationKeys[0]", HealthAndSchedulingTest.TAINT_KEY)
                    .set("policy.pod.allowedImagePullSecrets[0]", HealthAndSchedulingTest.PULL_SECRET)
                    .set("policy.pod.allowedLabels[0]", "team")
                    .set("policy.pod.allowedAnnotations[0]", "example.com/*")
                    // QueueTest: one engine Job at a time in its namespace only.
                    .set("queue.namespaceLimits." + QueueTest.NS, "1")
                    .waitReady()
                    .withTimeout(240)
                    .call();
            return new Installed(client);
        } catch (Exception | Error e) {
            client.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("helm install failed", e);
        }
    }

    /**
     * Waits (bounded) until the operator has let go of every QuantizationJob being deleted: its finalizer holds a
     * deleted sharded run until the work location is removed, so uninstalling it first would leave the namespaces
     * the test classes deleted terminating for good.
     */
    private static void awaitFinalized(KubernetesClient client) {
        try {
            Cluster.await(
                    "deleted QuantizationJobs released by the operator",
                    Duration.ofMinutes(3),
                    () -> client.resources(QuantizationJob.class).inAnyNamespace().list().getItems().stream()
                            .noneMatch(q -> q.getMetadata().getDeletionTimestamp() != null
                                    || terminating(client, q.getMetadata().getNamespace())));
        } catch (AssertionError e) {
            System.err.println("OperatorRelease: " + e.getMessage());
        }
    }

    private static boolean terminating(KubernetesClient client, String namespace) {
        var ns = client.namespaces().withName(namespace).get();
        return ns != null
                && ns.getStatus() != null
                && "Terminating".equals(ns.getStatus().getPhase());
    }

    /** Closed by JUnit when the root context ends: after the last test class. */
    private record Installed(KubernetesClient client) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            try {
                awaitFinalized(client);
                Cluster.uninstallChart(RELEASE, SYSTEM_NS);
            } finally {
                Cluster.deleteNamespace(client, SYSTEM_NS);
                client.close();
            }
        }
    }
}
