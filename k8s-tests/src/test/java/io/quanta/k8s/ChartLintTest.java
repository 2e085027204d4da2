package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
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
        String manifests = new Helm(Cluster.chart()).template()
                .withName("quanta")
                .set("watchNamespaces[0]", "team-a")
                .set("watchNamespaces[1]", "team-b")
                .call();
        assertFalse(manifests.contains("kind: ClusterRole"), manifests);
        assertTrue(manifests.contains("namespace: team-a") && manifests.contains("namespace: team-b"), manifests);
        assertTrue(manifests.contains("value: \"team-a,team-b\""), manifests);
    }

    @Test
    void valuesSchemaRejectsUnknownPullPolicy() {
        try {
            new Helm(Cluster.chart()).template().withName("quanta").set("image.pullPolicy", "Sometimes").call();
        } catch (IllegalStateException expected) {
            assertTrue(expected.getMessage().contains("pullPolicy"), expected.getMessage());
            return;
        }
        throw new AssertionError("values.schema.json accepted image.pullPolicy=Sometimes");
    }
}
