package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two operator replicas: only the Lease holder creates Jobs; after the leader pod is deleted the Lease changes
 * hands, and a run created meanwhile still gets its one Job and succeeds. Prints the hand-over time.
 */
@ExtendWith(OperatorRelease.class)
class LeaderHandoverTest {
    static final String NS = "quanta-leader";
    static KubernetesClient client;
    static Path out;

    @BeforeAll
    static void setUp() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-leader-");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        replicas(2);
    }

    @AfterAll
    static void tearDown() {
        try {
            Cluster.deleteNamespace(client, NS);
            replicas(1);
        } finally {
            client.close();
        }
    }

    static void replicas(int n) {
        new Helm(Cluster.chart())
                .upgrade()
                .withName(OperatorRelease.RELEASE)
                .withNamespace(OperatorRelease.SYSTEM_NS)
                .withKubeConfig(Cluster.kubeconfig())
                .reuseValues()
                .set("replicaCount", n)
                .waitReady()
                .withTimeout(240)
                .call();
        Cluster.await(
                n + " Ready operator pods",
                Duration.ofSeconds(240),
                () -> LoadAndChaosTest.operatorPods(client).stream()
                                .filter(LoadAndChaosTest::ready)
                                .count()
                        == n);
    }

    static String holder() {
        return LoadAndChaosTest.leaseHolder(client);
    }

    static Pod podOf(String holder) {
        return LoadAndChaosTest.operatorPods(client).stream()
                .filter(p -> holder != null && holder.contains(p.getMetadata().getName()))
                .findFirst()
                .orElse(null);
    }

    @Test
    void onlyTheLeaderCreatesJobsAndTheLeaseChangesHandsWhenItIsDeleted() throws Exception {
        Pod leader =
                Cluster.await("a Lease held by a running operator pod", Duration.ofSeconds(120), () -> podOf(holder()));
        Pod follower = LoadAndChaosTest.operatorPods(client).stream()
                .filter(p ->
                        !p.getMetadata().getName().equals(leader.getMetadata().getName()))
                .findFirst()
                .orElseThrow();
        create("before");
        assertEquals(Phase.Succeeded, finalStatus("before").phase);
        String leaderLog = log(leader);
        String followerLog = log(follower);
        assertTrue(leaderLog.contains("created Job " + NS + "/before-"), "the leader created the Job");
        assertFalse(followerLog.contains("created Job"), "the follower created none:\n" + followerLog);

        Instant deleted = Instant.now();
        client.pods()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withName(leader.getMetadata().getName())
                .withGracePeriod(0)
                .delete();
        create("after");
        String newHolder = Cluster.await("a new Lease holder", Duration.ofSeconds(180), () -> {
            String h = holder();
            // An empty holder is the released Lease between the two leaders.
            return h != null && !h.isEmpty() && !h.contains(leader.getMetadata().getName()) ? h : null;
        });
        Duration handOver = Duration.between(deleted, Instant.now());
        System.out.println("leader: Lease moved from " + leader.getMetadata().getName() + " to " + newHolder + " in "
                + handOver.toSeconds() + " s");
        assertNotEquals(leader.getMetadata().getName(), newHolder);
        assertEquals(Phase.Succeeded, finalStatus("after").phase);
        assertEquals(1, Cluster.jobsOf(client, NS, "after").size());
        assertEquals(1, Cluster.jobsOf(client, NS, "before").size());
    }

    static void create(String name) {
        client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal(
                        HealthAndSchedulingTest.run(name, "tiny_vww_96_float.tflite", out, ""), QuantizationJob.class))
                .create();
    }

    static QuantizationJobStatus finalStatus(String name) {
        return Cluster.await(name + " finished", Duration.ofMinutes(6), () -> {
            QuantizationJob qj = client.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .withName(name)
                    .get();
            QuantizationJobStatus s = qj == null ? null : qj.getStatus();
            return s != null && s.phase != null && s.phase.terminal() ? s : null;
        });
    }

    static String log(Pod pod) {
        return client.pods()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withName(pod.getMetadata().getName())
                .inContainer("operator")
                .getLog();
    }
}
