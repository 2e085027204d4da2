package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `helm lint` and `helm template` on the chart; needs no cluster. */
class ChartLintTest {

    @Test
    void chartLintsCleanly() {
        LintResult result = new Helm(Cluster.chart()).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void namespacedInstallRendersRolesInsteadOfAClusterRole() {
        String manifests = new Helm(Cluster.chart())
                .template()
                .withName("quanta")
                .set("watchNamespaces[0]", "team-a")
                .set("watchNamespaces[1]", "team-b")
                .call();
        assertFalse(manifests.contains("kind: ClusterRoleBinding"), manifests);
        // The only ClusterRoles left are the aggregated user roles, which grant nothing on Jobs or pods.
        for (String doc : documents(manifests, "kind: ClusterRole")) {
            assertTrue(doc.contains("rbac.authorization.k8s.io/aggregate-to-"), doc);
            assertFalse(doc.contains("\"batch\"") || doc.contains("\"pods"), doc);
        }
        assertEquals(
                2,
                documents(manifests, "kind: Role\n").stream()
                        .filter(d -> d.contains("resources: [\"jobs\"]"))
                        .count(),
                "one operator Role per namespace");
        assertTrue(manifests.contains("namespace: team-a") && manifests.contains("namespace: team-b"), manifests);
        assertTrue(manifests.contains("value: \"team-a,team-b\""), manifests);
    }

    @Test
    void operatorRulesHoldOnlyTheVerbsItUses() {
        String manifests =
                new Helm(Cluster.chart()).template().withName("quanta").call();
        String role = documents(manifests, "kind: ClusterRole\n").stream()
                .filter(d -> d.contains("resources: [\"jobs\"]"))
                .findFirst()
                .orElseThrow();
        // patch on the resource itself: the finalizer that holds a deleted sharded run until its work location is gone.
        assertTrue(
                role.contains(
                        "resources: [\"quantizationjobs\"]\n    verbs: [\"get\", \"list\", \"watch\", \"patch\"]"),
                role);
        assertTrue(role.contains("resources: [\"quantizationjobs/status\"]\n    verbs: [\"patch\"]"), role);
        assertTrue(role.contains("resources: [\"quantizationjobs/finalizers\"]\n    verbs: [\"update\"]"), role);
        assertTrue(role.contains("resources: [\"events\"]\n    verbs: [\"create\"]"), role);
    }

    @Test
    void chartRendersWithEveryOptionOn() throws Exception {
        var template = new Helm(Cluster.chart())
                .template()
                .withName("quanta")
                .set("watchNamespaces[0]", "team-a")
                .set("rbac.aggregateToDefaultRoles", "true")
                .set("policy.allowedHostPaths[0]", "/srv/models")
                .set("policy.allowedImages[0]", "registry.example.com/quanta/*")
                .set("policy.allowedServiceAccounts[0]", "quanta-irsa")
                .set("policy.maxResources.cpu", "2000m")
                .set("networkPolicy.enabled", "true")
                .set("networkPolicy.egress[0].cidr", "10.0.0.0/8")
                .set("networkPolicy.egress[0].ports[0]", "443")
                .set("metrics.serviceMonitor.enabled", "true")
                .set("engine.tmpSize", "5Gi")
                .set("engine.ephemeralStorageLimit", "6Gi")
                .set("engine.podLabels.platform", "ml")
                .set("policy.pod.allowNodeSelection", "false")
                .set("policy.pod.allowedPriorityClasses[0]", "batch-low")
                .set("policy.pod.allowedTolerationKeys[0]", "dedicated")
                .set("policy.pod.allowedImagePullSecrets[0]", "regcred")
                .set("policy.pod.allowedLabels[0]", "team")
                .set("policy.pod.allowedAnnotations[0]", "sidecar.istio.io/*")
                .set("queue.maxConcurrentJobs", "3")
                .set("queue.maxConcurrentJobsPerNamespace", "2")
                .set("queue.namespaceLimits.team-a", "1")
                .set("metrics.grafanaDashboard.enabled", "true")
                .set("metrics.prometheusRule.enabled", "true");
        String manifests = template.call();
        assertTrue(manifests.contains("kind: NetworkPolicy"), manifests);
        assertTrue(manifests.contains("cidr: \"10.0.0.0/8\""), manifests);
        assertTrue(manifests.contains("- {protocol: TCP, port: 443}"), manifests);
        assertTrue(manifests.contains("value: \"/srv/models\""), manifests);
        assertTrue(manifests.contains("value: \"registry.example.com/quanta/*\""), manifests);
        assertTrue(manifests.contains("value: \"quanta-irsa\""), manifests);
        assertTrue(manifests.contains("value: \"2147483648\""), manifests);
        assertTrue(manifests.contains("rbac.authorization.k8s.io/aggregate-to-edit: \"true\""), manifests);
        assertTrue(manifests.contains("value: \"platform=ml\""), manifests);
        assertTrue(manifests.contains("value: \"sidecar.istio.io/inject=false\""), manifests);
        assertTrue(manifests.contains("value: \"batch-low\""), manifests);
        assertTrue(manifests.contains("name: QUANTA_QUEUE_MAX_CONCURRENT_JOBS\n              value: \"3\""), manifests);
        assertTrue(manifests.contains("value: \"team-a=1\""), manifests);
        String dashboard = documents(manifests, "grafana_dashboard: \"1\"").get(0);
        assertTrue(
                dashboard.contains("kind: ConfigMap") && dashboard.contains("quanta_run_duration_seconds_bucket"),
                dashboard);
        // The dashboard is valid JSON once taken out of the ConfigMap.
        String json = dashboard.substring(
                dashboard.indexOf("quanta-operator.json: |-") + "quanta-operator.json: |-".length());
        assertEquals(
                "Quanta operator",
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(json)
                        .get("title")
                        .asText());
        String rule = documents(manifests, "kind: PrometheusRule").get(0);
        for (String alert :
                List.of("QuantaRunsFailing", "QuantaRunsStuckPending", "QuantaQueueGrowing", "QuantaReconcileErrors")) {
            assertTrue(rule.contains("alert: " + alert), rule);
        }
        assertTrue(rule.contains("{{ $labels.reason }}"), "Prometheus templates survive helm's: " + rule);
        assertTrue(manifests.contains("value: \"sidecar.istio.io/*\""), manifests);
        // helm-java's lint takes no values: rendering against values.schema.json is the check here.
        assertTrue(manifests.contains("kind: ServiceMonitor"), manifests);
    }

    /** The YAML documents of {@code manifests} that contain {@code marker}. */
    private static java.util.List<String> documents(String manifests, String marker) {
        return java.util.Arrays.stream(manifests.split("(?m)^---$"))
                .filter(d -> d.contains(marker))
                .toList();
    }

    @Test
    void leaseTimingsReachTheOperatorAndMustBeDurations() {
        String manifests = new Helm(Cluster.chart())
                .template()
                .withName("quanta")
                .set("leaderElection.retryPeriod", "500ms")
                .call();
        assertTrue(manifests.contains("name: QUANTA_LEASE_DURATION\n              value: \"10s\""), manifests);
        assertTrue(manifests.contains("name: QUANTA_LEASE_RENEW_DEADLINE\n              value: \"7s\""), manifests);
        assertTrue(manifests.contains("name: QUANTA_LEASE_RETRY_PERIOD\n              value: \"500ms\""), manifests);
        try {
            new Helm(Cluster.chart())
                    .template()
                    .withName("quanta")
                    .set("leaderElection.leaseDuration", "ten seconds")
                    .call();
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("leaseDuration"), expected.getMessage());
            return;
        }
        throw new AssertionError("values.schema.json accepted leaderElection.leaseDuration=ten seconds");
    }

    @Test
    void valuesSchemaRejectsUnknownPullPolicy() {
        try {
            new Helm(Cluster.chart())
                    .template()
                    .withName("quanta")
                    .set("image.pullPolicy", "Sometimes")
                    .call();
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("pullPolicy"), expected.getMessage());
            return;
        }
        throw new AssertionError("values.schema.json accepted image.pullPolicy=Sometimes");
    }
}
