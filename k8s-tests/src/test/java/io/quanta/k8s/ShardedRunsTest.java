package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12 on the real cluster: a QuantizationJob with spec.parallelism runs as phases of Jobs (one Job per shard on
 * this v1.20 cluster, which has no Indexed Jobs), ends with exactly the model and accuracy of one pod, retries a
 * shard whose pod is deleted, leaves no Job and no intermediate file when deleted mid-run, and no intermediate files when done. The runs go
 * one after another, so that their wall times (printed as figures) are not shared with each other.
 */
@ExtendWith(OperatorRelease.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedRunsTest {
    static final String NS = "quanta-shards";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);
    static KubernetesClient client;
    static Path out;
    static final Map<String, String> FIGURES = new TreeMap<>();

    @BeforeAll
    static void setUp() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-shards-");
        // The engine runs as uid 65532, not as the user who runs these tests.
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        FIGURES.forEach((k, v) -> System.out.println("FIGURE " + k + ": " + v));
        Path figures = Path.of("target", "sharded-figures.txt");
        Files.createDirectories(figures.getParent());
        Files.writeString(
                figures,
                FIGURES.entrySet().stream()
                        .map(e -> e.getKey() + ": " + e.getValue())
                        .collect(Collectors.joining("\n", "", "\n")));
        try {
            Cluster.deleteNamespace(client, NS);
        } finally {
            client.close();
            Cluster.deleteFolder(out);
        }
    }

    /** resnet8 on the shared CIFAR-10 sample: calibration on 96 images, evaluation on all 932. */
    static String resnet8(String name, int parallelism, int backoffLimit) {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: %1$s
                spec:
                  model: {uri: /shared/models/float/tiny_ic_resnet8_float.tflite}
                  calibration:
                    location: {uri: /shared/data/cifar10/cifar10_train932_u8.npy}
                    format: Npy
                    samples: 96
                  evaluation:
                    location: {uri: /shared/data/cifar10/cifar10_train932_u8.npy}
                    format: Npy
                    labels: File
                    labelsLocation: {uri: /shared/data/cifar10/cifar10_train932_labels.txt}
                  quantization: {mode: Int8}
                  output: {uri: /out/%1$s.tflite}
                  parallelism: %2$d
                  backoffLimit: %3$d
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {memory: 1Gi}
                  activeDeadlineSeconds: 600
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: %4$s, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: %5$s}
                """.formatted(name, parallelism, backoffLimit, Cluster.shared(), out);
    }

    @Test
    @Order(1)
    void anUnwritableWorkLocationFailsBeforeAnyCalibrationPod() throws IOException {
        // A plain file where the work location's folder would go: nobody, whatever their uid, can create it.
        Files.writeString(out.resolve("blocked.tflite.work"), "not a folder\n");
        create(resnet8("blocked", 3, 0));
        QuantizationJobStatus status = awaitFinal("blocked", null);
        assertEquals(Phase.Failed, status.phase, Serialization.asYaml(status));
        assertEquals("WorkLocationNotWritable", readyReason(status), Serialization.asYaml(status));
        assertEquals(Map.of("prepare", 1), podsPerPhase("blocked"), "no calibration pod was started");
        assertFalse(Files.exists(out.resolve("blocked.tflite")));
    }

    @Test
    @Order(2)
    void parallelismThreeRunsItsPhasesAndMatchesOnePodExactly() throws Exception {
        Run one = timed("one", 1);
        Run three = timed("three", 3);
        Run two = timed("two", 2);

        for (Run r : List.of(one, two, three)) {
            assertEquals(Phase.Succeeded, r.status.phase, Serialization.asYaml(r.status));
        }
        assertEquals(
                Map.of("prepare", 1, "calibrate", 3, "quantize", 1, "evaluate", 3, "merge", 1),
                podsPerPhase("three"),
                "3 calibration pods, 1 quantization pod, 3 evaluation pods");
        assertEquals(
                Map.of("prepare", 1, "calibrate", 3, "quantize", 1, "evaluate", 3, "merge", 1),
                jobsPerPhase("three"),
                "one Job per shard on a cluster without Indexed Jobs");
        assertEquals(1, Cluster.jobsOf(client, NS, "one").size(), "parallelism 1: one Job, as before");

        for (Run r : List.of(two, three)) {
            assertEquals(one.status.output.sha256, r.status.output.sha256, r.name + ": the same model");
            assertEquals(one.status.accuracy.floatAccuracy, r.status.accuracy.floatAccuracy, r.name);
            assertEquals(one.status.accuracy.quantizedAccuracy, r.status.accuracy.quantizedAccuracy, r.name);
            assertEquals(one.status.accuracy.agreement, r.status.accuracy.agreement, r.name);
            assertEquals(932, (int) r.status.accuracy.samples, r.name);
            assertEquals(
                    one.status.output.sha256,
                    QuantizationScenariosTest.sha256(out.resolve(r.name + ".tflite")),
                    "the file is what the status says");
            assertWorkLocationEmpty(r.name);
        }
        assertTrue(
                three.progress.stream().anyMatch(p -> p.matches("calibration [0-3]/3 shards")),
                "calibration progress seen: " + three.progress);
        assertTrue(
                three.progress.stream().anyMatch(p -> p.matches("evaluation [0-3]/3 shards")),
                "evaluation progress seen: " + three.progress);

        for (Run r : List.of(one, two, three)) {
            FIGURES.put("wall time, parallelism " + r.parallelism, r.wallSeconds() + " s (created -> completionTime)");
        }
        for (Run r : List.of(two, three)) {
            FIGURES.put(
                    "evaluation phase, parallelism " + r.parallelism,
                    phaseSeconds(r.name, "evaluate") + " s (first evaluation Job start -> last completion)");
            FIGURES.put("calibration phase, parallelism " + r.parallelism, phaseSeconds(r.name, "calibrate") + " s");
        }
        FIGURES.put("per-shard overhead", overhead("three"));
    }

    @Test
    @Order(3)
    void aShardWhosePodIsDeletedIsRetriedAndTheRunSucceeds() {
        create(resnet8("retried", 3, 1));
        Pod victim = Cluster.await(
                "a running evaluation pod of retried",
                RUN_TIMEOUT,
                () -> pods("retried").stream()
                        .filter(p ->
                                "evaluate".equals(p.getMetadata().getLabels().get("quanta.io/phase")))
                        .filter(p -> "Running".equals(p.getStatus().getPhase()))
                        .findFirst()
                        .orElse(null));
        String shard = victim.getMetadata().getLabels().get("quanta.io/shard");
        client.pods().inNamespace(NS).resource(victim).delete();

        QuantizationJobStatus status = awaitFinal("retried", null);
        assertEquals(Phase.Succeeded, status.phase, Serialization.asYaml(status));
        // The deleted pod is gone; the shard's Job ran it again in a new pod, which completed.
        List<Pod> shardPods = pods("retried").stream()
                .filter(p -> "evaluate".equals(p.getMetadata().getLabels().get("quanta.io/phase")))
                .filter(p -> shard.equals(p.getMetadata().getLabels().get("quanta.io/shard")))
                .toList();
        assertEquals(1, shardPods.size(), "evaluation shard " + shard + ": " + shardPods);
        assertFalse(
                shardPods
                        .get(0)
                        .getMetadata()
                        .getName()
                        .equals(victim.getMetadata().getName()),
                "evaluation shard " + shard + " ran again in a new pod after "
                        + victim.getMetadata().getName());
        assertEquals("Succeeded", shardPods.get(0).getStatus().getPhase());
        assertWorkLocationEmpty("retried");
    }

    @Test
    @Order(4)
    void deletingTheResourceMidRunLeavesNoJobAndNoIntermediateFile() {
        QuantizationJob created = create(resnet8("deleted", 3, 0));
        Path work = workLocation("deleted", created.getMetadata().getUid());
        // Mid-run, with intermediate files written: a calibration shard has left its statistics.
        Cluster.await(
                "statistics of a calibration shard of deleted",
                RUN_TIMEOUT,
                () -> !files(work).isEmpty());
        client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName("deleted")
                .delete();
        // The operator's finalizer holds the resource until the run's cleanup phase removed the work location, and
        // never for long: it is gone well within the operator's bound.
        Cluster.await(
                "deleted removed (finalizer released)",
                Duration.ofMinutes(3),
                () -> client.resources(QuantizationJob.class)
                                .inNamespace(NS)
                                .withName("deleted")
                                .get()
                        == null);
        Cluster.await(
                "every Job of deleted gone",
                Duration.ofMinutes(2),
                () -> client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withLabel("app.kubernetes.io/instance", "deleted")
                        .list()
                        .getItems()
                        .isEmpty());
        Cluster.await(
                "every pod of deleted gone",
                Duration.ofMinutes(2),
                () -> pods("deleted").isEmpty());
        assertEquals(List.of(), files(work), "intermediate files left in " + work + " after the deletion");
    }

    // ---- helpers ----

    record Run(String name, int parallelism, QuantizationJobStatus status, Instant created, Set<String> progress) {
        long wallSeconds() {
            return Duration.between(created, Instant.parse(status.completionTime))
                    .toSeconds();
        }
    }

    static Run timed(String name, int parallelism) {
        QuantizationJob created = create(resnet8(name, parallelism, 0));
        Set<String> progress = new LinkedHashSet<>();
        QuantizationJobStatus status = awaitFinal(name, progress);
        System.out.println(name + " progress seen: " + progress);
        return new Run(
                name, parallelism, status, Instant.parse(created.getMetadata().getCreationTimestamp()), progress);
    }

    static QuantizationJob create(String yaml) {
        return client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal(yaml, QuantizationJob.class))
                .create();
    }

    /** Waits for the final status, collecting each status.progress seen on the way (when {@code progress} is set). */
    static QuantizationJobStatus awaitFinal(String name, Set<String> progress) {
        QuantizationJobStatus status = Cluster.await(name + " finished", RUN_TIMEOUT, () -> {
            QuantizationJob r = client.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .withName(name)
                    .get();
            QuantizationJobStatus s = r == null ? null : r.getStatus();
            if (s != null && s.progress != null && progress != null) {
                progress.add(s.progress);
            }
            return s != null && s.phase != null && s.phase.terminal() ? s : null;
        });
        System.out.println(name + " status:\n" + Serialization.asYaml(status));
        return status;
    }

    static String readyReason(QuantizationJobStatus status) {
        return QuantizationScenariosTest.condition(status, "Ready").getReason();
    }

    static List<Pod> pods(String qj) {
        return client.pods()
                .inNamespace(NS)
                .withLabel("app.kubernetes.io/instance", qj)
                .list()
                .getItems();
    }

    static Map<String, Integer> podsPerPhase(String qj) {
        return pods(qj).stream()
                .collect(Collectors.groupingBy(
                        p -> String.valueOf(p.getMetadata().getLabels().get("quanta.io/phase")),
                        TreeMap::new,
                        Collectors.summingInt(p -> 1)));
    }

    static Map<String, Integer> jobsPerPhase(String qj) {
        return Cluster.jobsOf(client, NS, qj).stream()
                .collect(Collectors.groupingBy(
                        j -> String.valueOf(j.getMetadata().getLabels().get("quanta.io/phase")),
                        TreeMap::new,
                        Collectors.summingInt(j -> 1)));
    }

    /** The run's work location, {@code <output>.work/<uid>/}, holds nothing once it ended. */
    static void assertWorkLocationEmpty(String name) {
        QuantizationJob r = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        Path work = workLocation(name, r.getMetadata().getUid());
        assertEquals(List.of(), files(work), "intermediate files left in " + work);
    }

    /** The work location of run {@code name} with this uid, on the test's side of the output volume. */
    static Path workLocation(String name, String uid) {
        return out.resolve(name + ".tflite.work").resolve(uid);
    }

    /** The files under {@code folder} (none when it does not exist). */
    static List<Path> files(Path folder) {
        try (Stream<Path> files = Files.exists(folder) ? Files.walk(folder) : Stream.empty()) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + folder, e);
        }
    }

    /** From the first Job of {@code phase} starting to the last one completing, in seconds. */
    static long phaseSeconds(String qj, String phase) {
        List<Job> jobs = Cluster.jobsOf(client, NS, qj).stream()
                .filter(j -> phase.equals(j.getMetadata().getLabels().get("quanta.io/phase")))
                .toList();
        Instant start = jobs.stream()
                .map(j -> Instant.parse(j.getStatus().getStartTime()))
                .min(Comparator.naturalOrder())
                .orElseThrow();
        Instant end = jobs.stream()
                .map(j -> Instant.parse(j.getStatus().getCompletionTime()))
                .max(Comparator.naturalOrder())
                .orElseThrow();
        return Duration.between(start, end).toSeconds();
    }

    /**
     * What each shard costs besides its work: the pod's start (created -> engine container started) and the preparation
     * pod's whole run (a JVM that starts, checks the work location and exits), averaged over the run's pods.
     */
    static String overhead(String qj) {
        List<Long> podStart = new ArrayList<>();
        List<Long> prepareRun = new ArrayList<>();
        for (Pod p : pods(qj)) {
            var engine = p.getStatus().getContainerStatuses().stream()
                    .filter(s -> "engine".equals(s.getName()))
                    .findFirst()
                    .orElseThrow();
            var terminated = engine.getState().getTerminated();
            Instant created = Instant.parse(p.getMetadata().getCreationTimestamp());
            Instant started = Instant.parse(terminated.getStartedAt());
            podStart.add(Duration.between(created, started).toSeconds());
            if ("prepare".equals(p.getMetadata().getLabels().get("quanta.io/phase"))) {
                prepareRun.add(Duration.between(started, Instant.parse(terminated.getFinishedAt()))
                        .toSeconds());
            }
        }
        double meanStart =
                podStart.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
        return String.format(
                Locale.ROOT,
                "pod start %.1f s (mean of %d pods, each %s), JVM start + work-location check %s s (preparation pod)",
                meanStart,
                podStart.size(),
                podStart,
                prepareRun);
    }
}
