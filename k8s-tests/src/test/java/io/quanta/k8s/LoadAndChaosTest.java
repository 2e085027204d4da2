package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16's load and chaos run: 40 QuantizationJobs on a small model at once under {@code
 * queue.maxConcurrentJobs: 3}, the operator pod deleted 5 times meanwhile. All end Succeeded, never more than 3
 * engine Jobs run at once, each has exactly one Job. Prints the wall time, the most engine Jobs seen at once and
 * the operator's peak RSS (VmHWM of its JVM, read before each deletion and at the end).
 */
@ExtendWith(OperatorRelease.class)
class LoadAndChaosTest {
    static final String NS = "quanta-load";
    static final int RUNS = 40;
    static final int CAP = 3;
    static final int DELETIONS = 5;
    static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");
    static KubernetesClient client;
    static Path out;

    @BeforeAll
    static void setUp() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-load-");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        upgrade(CAP);
    }

    @AfterAll
    static void tearDown() {
        try {
            Cluster.deleteNamespace(client, NS);
            upgrade(0);
        } finally {
            client.close();
        }
    }

    static void upgrade(int maxConcurrentJobs) {
        new Helm(Cluster.chart())
                .upgrade()
                .withName(OperatorRelease.RELEASE)
                .withNamespace(OperatorRelease.SYSTEM_NS)
                .withKubeConfig(Cluster.kubeconfig())
                .reuseValues()
                .set("queue.maxConcurrentJobs", maxConcurrentJobs)
                .waitReady()
                .withTimeout(240)
                .call();
        // The upgrade rolls the Deployment: wait until the new pod runs alone.
        Cluster.await(
                "one operator pod",
                Duration.ofSeconds(180),
                () -> operatorPods().size() == 1 && ready(operatorPods().get(0)));
    }

    @Test
    void fortyRunsUnderACapOfThreeSurviveFiveOperatorDeletions() {
        List<String> names = IntStream.rangeClosed(1, RUNS)
                .mapToObj(i -> String.format("load-%02d", i))
                .toList();
        long peakKb = 0;
        Instant start = Instant.now();
        int peakJobs;
        try (JobConcurrency concurrency = new JobConcurrency(client, NS)) {
            for (String name : names) {
                client.resources(QuantizationJob.class)
                        .inNamespace(NS)
                        .resource(Serialization.unmarshal(
                                HealthAndSchedulingTest.run(name, "tiny_vww_96_float.tflite", out, ""),
                                QuantizationJob.class))
                        .create();
            }
            for (int d = 1; d <= DELETIONS; d++) {
                int threshold = d * RUNS / (DELETIONS + 1);
                Cluster.await(threshold + " runs finished", Duration.ofMinutes(10), () -> finished(names) >= threshold);
                Pod pod = Cluster.await(
                        "a Ready operator pod",
                        Duration.ofSeconds(180),
                        () -> operatorPods().stream()
                                .filter(LoadAndChaosTest::ready)
                                .findFirst()
                                .orElse(null));
                peakKb = Math.max(peakKb, peakRssKb(pod).orElse(0L));
                client.pods()
                        .inNamespace(OperatorRelease.SYSTEM_NS)
                        .withName(pod.getMetadata().getName())
                        .withGracePeriod(0)
                        .delete();
                System.out.println("load: deleted operator pod " + d + " of " + DELETIONS + " after " + finished(names)
                        + " finished runs");
            }
            Cluster.await("all " + RUNS + " runs finished", Duration.ofMinutes(20), () -> finished(names) == RUNS);
            peakJobs = concurrency.peak();
        }
        Duration wall = Duration.between(start, Instant.now());
        Pod last = Cluster.await(
                "a Ready operator pod",
                Duration.ofSeconds(180),
                () -> operatorPods().stream()
                        .filter(LoadAndChaosTest::ready)
                        .findFirst()
                        .orElse(null));
        peakKb = Math.max(peakKb, peakRssKb(last).orElse(0L));
        System.out.printf(
                "load: %d runs, maxConcurrentJobs %d, %d operator deletions: wall time %d s, most engine Jobs at once"
                        + " %d, operator peak RSS %d MiB%n",
                RUNS, CAP, DELETIONS, wall.toSeconds(), peakJobs, peakKb / 1024);

        Map<Phase, Long> phases =
                names.stream().collect(Collectors.groupingBy(n -> status(n).phase, Collectors.counting()));
        assertEquals(Map.of(Phase.Succeeded, (long) RUNS), phases);
        assertTrue(peakJobs <= CAP, "at most " + CAP + " engine Jobs at once, saw " + peakJobs);
        for (String name : names) {
            List<Job> jobs = Cluster.jobsOf(client, NS, name);
            assertEquals(1, jobs.size(), "exactly one Job for " + name + ": " + jobs.size());
            assertEquals(status(name).jobName, jobs.get(0).getMetadata().getName());
        }
    }

    static long finished(List<String> names) {
        return names.stream()
                .map(LoadAndChaosTest::status)
                .filter(s -> s != null && s.phase != null && s.phase.terminal())
                .count();
    }

    static QuantizationJobStatus status(String name) {
        QuantizationJob qj = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        return qj == null ? null : qj.getStatus();
    }

    static List<Pod> operatorPods() {
        return operatorPods(client);
    }

    static List<Pod> operatorPods(KubernetesClient client) {
        return client
                .pods()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withLabel("app.kubernetes.io/instance", OperatorRelease.RELEASE)
                .list()
                .getItems()
                .stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null
                && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** The JVM's (PID 1 of the operator container) peak resident set size, from /proc. */
    static Optional<Long> peakRssKb(Pod pod) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (var exec = client.pods()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withName(pod.getMetadata().getName())
                .inContainer("operator")
                .writingOutput(stdout)
                .exec("cat", "/proc/1/status")) {
            exec.exitCode().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println(
                    "load: cannot read the RSS of " + pod.getMetadata().getName() + ": " + e);
            return Optional.empty();
        }
        Matcher m = HWM.matcher(stdout.toString(StandardCharsets.UTF_8));
        return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }
}
