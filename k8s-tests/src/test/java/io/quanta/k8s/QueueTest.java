package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Queueing on the real cluster: the release limits namespace {@value #NS} to one engine Job at a time
 * ({@code queue.namespaceLimits}, see {@link OperatorRelease}); three runs created one after the other wait in
 * phase Queued, start in creation order, never overlap, and all succeed. A run with spec.queueName gets the Kueue
 * contract on its Job instead.
 */
@ExtendWith(OperatorRelease.class)
class QueueTest {
    static final String NS = "quanta-queue";
    static final List<String> RUNS = List.of("q1", "q2", "q3");
    static KubernetesClient client;
    static Path out;

    @BeforeAll
    static void setUp() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-queue-");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void tearDown() {
        try {
            Cluster.deleteNamespace(client, NS);
        } finally {
            client.close();
        }
    }

    @Test
    void runsOverTheNamespaceLimitAreQueuedThenSucceedInCreationOrder() {
        try (StatusHistory history = new StatusHistory(client, NS);
                JobConcurrency concurrency = new JobConcurrency(client, NS)) {
            for (String name : RUNS) {
                create(HealthAndSchedulingTest.run(name, "tiny_vww_96_float.tflite", out, ""));
                if (name.equals("q1")) {
                    // q2 and q3 must arrive while q1 holds the namespace's only slot, however fast q1 then runs.
                    Cluster.await(
                            "q1's Job",
                            Duration.ofSeconds(120),
                            () -> !Cluster.jobsOf(client, NS, "q1").isEmpty());
                }
                // Creation timestamps have one-second resolution: the queue's order is the creation order.
                Cluster.sleep(Duration.ofMillis(1100));
            }
            Cluster.await(
                    "all three runs finished",
                    Duration.ofMinutes(10),
                    () -> RUNS.stream()
                            .map(QueueTest::status)
                            .allMatch(s -> s != null && s.phase != null && s.phase.terminal()));
            assertEquals(1, concurrency.peak(), "never more than the namespace limit of engine Jobs at once");
            for (String name : RUNS) {
                QuantizationJobStatus s = status(name);
                assertEquals(Phase.Succeeded, s.phase, name + ": " + Serialization.asYaml(s));
                assertEquals(1, Cluster.jobsOf(client, NS, name).size(), "one Job for " + name);
            }
            for (String name : List.of("q2", "q3")) {
                assertTrue(
                        history.of(name).contains("Queued/NamespaceLimit"), name + " went through " + history.of(name));
            }
        }
        List<String> startOrder = client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .sorted(Comparator.comparing((Job j) -> j.getMetadata().getCreationTimestamp())
                        .thenComparing(j -> j.getMetadata().getName()))
                .map(j -> j.getMetadata().getLabels().get("app.kubernetes.io/instance"))
                .toList();
        assertEquals(RUNS, startOrder, "first come, first served");

        // The operator's own metrics, scraped from its pod (through the API server's pod proxy) after the runs.
        Metrics metrics = Metrics.scrape(client);
        assertEquals(3.0, metrics.value("quanta_quantizationjobs", Map.of("namespace", NS, "phase", "Succeeded")));
        assertTrue(metrics.value("quanta_runs_total", Map.of("result", "Succeeded", "reason", "Completed")) >= 3);
        assertTrue(metrics.value("quanta_run_duration_seconds_count", Map.of("result", "Succeeded")) >= 3);
        assertTrue(metrics.has("quanta_run_duration_seconds_bucket", Map.of("result", "Succeeded", "le", "+Inf")));
        for (String name : RUNS) {
            double ratio = metrics.value("quanta_job_size_ratio", Map.of("namespace", NS, "name", name));
            assertTrue(ratio > 0.2 && ratio < 0.5, name + " size ratio " + ratio);
            assertTrue(metrics.has("quanta_job_accuracy_drop", Map.of("namespace", NS, "name", name)));
        }
        assertEquals(0.0, metrics.value("quanta_queue_length", Map.of()), "nothing waits any more");
    }

    /** Kueue itself needs Kubernetes 1.22+; what the operator owes it is visible on the Job it creates. */
    @Test
    void aRunWithAQueueNameGetsTheKueueContractOnItsJob() {
        create(HealthAndSchedulingTest.run("kueued", "no_such_model.tflite", out, "  queueName: team-queue\n"));
        Job job = Cluster.await(
                "the Job of 'kueued'",
                Duration.ofSeconds(120),
                () -> Cluster.jobsOf(client, NS, "kueued").stream().findFirst().orElse(null));
        assertEquals("team-queue", job.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name"));
        int minor = Integer.parseInt(client.getKubernetesVersion().getMinor().replaceAll("\\D", ""));
        // spec.suspend exists from Kubernetes 1.21; a 1.20 API server drops the field it does not know.
        assertEquals(
                minor >= 21 ? Boolean.TRUE : null, job.getSpec().getSuspend(), Serialization.asYaml(job.getSpec()));
    }

    static void create(String yaml) {
        client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal(yaml, QuantizationJob.class))
                .create();
    }

    static QuantizationJobStatus status(String name) {
        QuantizationJob qj = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        return qj == null ? null : qj.getStatus();
    }
}
