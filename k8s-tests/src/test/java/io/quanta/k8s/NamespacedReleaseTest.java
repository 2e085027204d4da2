package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart installed for real in namespaced mode ({@code watchNamespaces}): Roles in the watched namespace only,
 * nothing cluster-wide on Jobs or pods, proven by SubjectAccessReviews as that release's service account. The
 * release runs no replica: the cluster-wide release of the other tests already reconciles every namespace, and two
 * operators must not both act on one QuantizationJob.
 */
class NamespacedReleaseTest {
    static final String RELEASE = "quanta-ns";
    static final String SYSTEM_NS = "quanta-ns-system";
    static final String WATCHED = "quanta-ns-watched";
    static final String OTHER = "quanta-ns-other";
    static final String SA = "system:serviceaccount:" + SYSTEM_NS + ":" + RELEASE + "-quanta-operator";
    static KubernetesClient client;

    @BeforeAll
    static void install() {
        client = Cluster.client();
        Cluster.createNamespace(client, WATCHED);
        Cluster.createNamespace(client, OTHER);
        Cluster.awaitNotTerminating(client, SYSTEM_NS);
        Cluster.installChart(RELEASE, SYSTEM_NS)
                .set("replicaCount", "0")
                .set("watchNamespaces[0]", WATCHED)
                .set("rbac.aggregateToDefaultRoles", "false")
                .set("metrics.service.enabled", "false")
                .withTimeout(120)
                .call();
    }

    @AfterAll
    static void uninstall() {
        try {
            Cluster.uninstallChart(RELEASE, SYSTEM_NS);
        } finally {
            Cluster.deleteNamespace(client, SYSTEM_NS);
            Cluster.deleteNamespace(client, WATCHED);
            Cluster.deleteNamespace(client, OTHER);
            client.close();
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} in ''{3}'': {4}")
    @CsvSource({
        "create, batch,     jobs,                    " + WATCHED + ", true",
        "watch,  '',        pods,                    " + WATCHED + ", true",
        "get,    '',        pods/log,                " + WATCHED + ", true",
        "patch,  quanta.io, quantizationjobs/status, " + WATCHED + ", true",
        "update, quanta.io, quantizationjobs/finalizers, " + WATCHED + ", true",
        "patch,  quanta.io, quantizationjobs,        " + WATCHED + ", true",
        "create, '',        events,                  " + WATCHED + ", true",
        "create, batch,     jobs,                    " + OTHER + ", false",
        "watch,  '',        pods,                    " + OTHER + ", false",
        "watch,  quanta.io, quantizationjobs,        " + OTHER + ", false",
        "list,   batch,     jobs,                    '', false",
        "list,   '',        pods,                    '', false",
        "create, '',        pods,                    " + WATCHED + ", false",
        "get,    '',        secrets,                 " + WATCHED + ", false",
    })
    void serviceAccountHasRightsOnlyInTheWatchedNamespace(
            String verb, String group, String resource, String namespace, boolean expected) {
        Cluster.assertCanI(
                client, SA, Cluster.serviceAccountGroups(SYSTEM_NS), namespace, verb, group, resource, expected);
    }

    @Test
    void theReleaseHasNoClusterRoleOfItsOwn() {
        assertTrue(
                client.rbac()
                        .clusterRoles()
                        .withLabel("app.kubernetes.io/instance", RELEASE)
                        .list()
                        .getItems()
                        .isEmpty(),
                "namespaced mode renders Roles only");
        assertTrue(client.rbac()
                .clusterRoleBindings()
                .withLabel("app.kubernetes.io/instance", RELEASE)
                .list()
                .getItems()
                .isEmpty());
        assertEquals(
                1,
                client.rbac()
                        .roles()
                        .inNamespace(WATCHED)
                        .withLabel("app.kubernetes.io/instance", RELEASE)
                        .list()
                        .getItems()
                        .size(),
                "one operator Role in the watched namespace");
    }
}
