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
 * queue.maxConcurrentJobs: 3}, two operator replicas, the leading operator pod deleted 5 times meanwhile (as {@code
 * kubectl delete pod} does: SIGTERM, then the pod's grace period). All end Succeeded, never more than 3 engine Jobs
 * run at once, each has exactly one Job. Prints the wall time, the most engine Jobs seen at once, each hand-over
 * and each operator pod's peak RSS (VmHWM of its JVM, read before each deletion and at the end).
 */
@ExtendWith(OperatorRelease.class)
class LoadAndChaosTest {
    static final String NS = "quanta-load";
    static final int RUNS = 40;
    static final int CAP = 3;
    static final int DELETIONS = 5;
    /** A warm standby takes over when the leader goes. */
    static final int REPLICAS = 2;

    static final Pattern HWM = Pattern.compile("VmHWM:\\s+(\\d+) kB");
    /** utime and stime (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s) after the command name. */
    static final Pattern CPU_TICKS = Pattern.compile("\\) \\S+(?: -?\\d+){10} (\\d+) (\\d+)");

    static KubernetesClient client;
    static Path out;

    @BeforeAll
    static void setUp() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-load-");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        upgrade(CAP, REPLICAS);
    }

    @AfterAll
    static void tearDown() {
        try {
            Cluster.deleteNamespace(client, NS);
            upgrade(0, 1);
        } finally {
            client.close();
        }
    }

    static void upgrade(int maxConcurrentJobs, int replicas) {
        new Helm(Cluster.chart())
                .upgrade()
                .withName(OperatorRelease.RELEASE)
                .withNamespace(OperatorRelease.SYSTEM_NS)
                .withKubeConfig(Cluster.kubeconfig())
                .reuseValues()
                .set("queue.maxConcurrentJobs", maxConcurrentJobs)
                .set("replicaCount", replicas)
                .waitReady()
                .withTimeout(240)
                .call();
        // The upgrade rolls the Deployment: wait until the new pods run alone.
        awaitReadyPods(replicas);
    }

    static List<Pod> awaitReadyPods(int replicas) {
        return Cluster.await(replicas + " Ready operator pods", Duration.ofSeconds(240), () -> {
            List<Pod> pods = operatorPods();
            return pods.size() == replicas && pods.stream().allMatch(LoadAndChaosTest::ready) ? pods : null;
        });
    }

    @Test
    void fortyRunsUnderACapOfThreeSurviveFiveOperatorDeletions() {
        List<String> names = IntStream.rangeClosed(1, RUNS)
                .mapToObj(i -> String.format("load-%02d", i))
                .toList();
        Map<String, Long> peakKb = new java.util.TreeMap<>();
        Duration longestHandOver = Duration.ZERO;
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
                // The replacement of the previous leader is the standby again before the next deletion.
                List<Pod> pods = awaitReadyPods(REPLICAS);
                pods.forEach(p -> peakRssKb(p)
                        .ifPresent(kb -> peakKb.merge(p.getMetadata().getName(), kb, Math::max)));
                String holder = leaseHolder(client);
                Pod pod = pods.stream()
                        .filter(p -> holder != null
                                && holder.contains(p.getMetadata().getName()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no operator pod holds the Lease (" + holder + ")"));
                String deleted = pod.getMetadata().getName();
                Instant deletedAt = Instant.now();
                client.pods()
                        .inNamespace(OperatorRelease.SYSTEM_NS)
                        .withName(deleted)
                        .delete();
                System.out.println("load: deleted leading operator pod " + deleted + " (" + d + " of " + DELETIONS
                        + ") after " + finished(names) + " finished runs");
                // Hand-over: until the Lease names a pod that still exists, no run makes progress.
                Cluster.await("a new Lease holder", Duration.ofSeconds(300), () -> {
                    String h = leaseHolder(client);
                    return h != null
                            && operatorPods().stream()
                                    .map(p -> p.getMetadata().getName())
                                    .anyMatch(n -> !n.equals(deleted) && h.contains(n));
                });
                Duration handOver = Duration.between(deletedAt, Instant.now());
                longestHandOver = longestHandOver.compareTo(handOver) < 0 ? handOver : longestHandOver;
                System.out.println("load: hand-over " + d + " took " + handOver.toMillis() / 100 / 10.0 + " s");
            }
            try {
                Cluster.await("all " + RUNS + " runs finished", Duration.ofMinutes(20), () -> finished(names) == RUNS);
            } catch (AssertionError e) {
                names.stream().filter(n -> !terminal(status(n))).forEach(n -> System.out.println(explain(n)));
                throw e;
            }
            peakJobs = concurrency.peak();
        }
        Duration wall = Duration.between(start, Instant.now());
        awaitReadyPods(REPLICAS)
                .forEach(p -> peakRssKb(p)
                        .ifPresent(kb -> peakKb.merge(p.getMetadata().getName(), kb, Math::max)));
        System.out.printf(
                "load: %d runs, maxConcurrentJobs %d, %d replicas, %d leader deletions: wall time %d s, most engine"
                        + " Jobs at once %d, operator peak RSS %d MiB (per pod: %s), longest hand-over %.1f s%n",
                RUNS,
                CAP,
                REPLICAS,
                DELETIONS,
                wall.toSeconds(),
                peakJobs,
                peakKb.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1024,
                peakKb.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue() / 1024 + " MiB")
                        .collect(Collectors.joining(", ")),
                longestHandOver.toMillis() / 1000.0);
        timeline(start);

        Map<Phase, Long> phases =
                names.stream().collect(Collectors.groupingBy(n -> status(n).phase, Collectors.counting()));
        if (!phases.equals(Map.of(Phase.Succeeded, (long) RUNS))) {
            names.stream().filter(n -> status(n).phase != Phase.Succeeded).forEach(n -> System.out.println(explain(n)));
        }
        assertEquals(Map.of(Phase.Succeeded, (long) RUNS), phases);
        assertTrue(peakJobs <= CAP, "at most " + CAP + " engine Jobs at once, saw " + peakJobs);
        for (String name : names) {
            List<Job> jobs = Cluster.jobsOf(client, NS, name);
            assertEquals(1, jobs.size(), "exactly one Job for " + name + ": " + jobs.size());
            assertEquals(status(name).jobName, jobs.get(0).getMetadata().getName());
        }
    }

    /**
     * Where the wall time went, from the engine Jobs' timestamps (whole seconds): how long a Job ran, and how long a
     * freed slot stayed empty before the next Job was created (the k-th Job after the first CAP takes the slot the
     * (k-CAP)-th completion freed).
     */
    static void timeline(Instant start) {
        List<Job> jobs = client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
                .filter(j -> j.getStatus() != null && j.getStatus().getCompletionTime() != null)
                .toList();
        List<Long> created = jobs.stream()
                .map(j -> seconds(start, j.getMetadata().getCreationTimestamp()))
                .sorted()
                .toList();
        List<Long> completed = jobs.stream()
                .map(j -> seconds(start, j.getStatus().getCompletionTime()))
                .sorted()
                .toList();
        double run = jobs.stream()
                .mapToLong(j -> seconds(start, j.getStatus().getCompletionTime())
                        - seconds(start, j.getMetadata().getCreationTimestamp()))
                .average()
                .orElse(0);
        List<Long> gaps = IntStream.range(CAP, created.size())
                .mapToObj(k -> Math.max(0, created.get(k) - completed.get(k - CAP)))
                .toList();
        System.out.printf(
                "load: timeline: first Job at %d s, last completion at %d s; a Job takes %.1f s from creation to"
                        + " completion on average; a freed slot waited %d s in total for the next Job (max %d s)%n",
                created.isEmpty() ? 0 : created.get(0),
                completed.isEmpty() ? 0 : completed.get(completed.size() - 1),
                run,
                gaps.stream().mapToLong(Long::longValue).sum(),
                gaps.stream().mapToLong(Long::longValue).max().orElse(0));
        System.out.println("load: timeline (s): created " + created + "\nload: timeline (s): completed " + completed);
    }

    static long seconds(Instant start, String timestamp) {
        return Duration.between(start, Instant.parse(timestamp)).toSeconds();
    }

    static long finished(List<String> names) {
        return names.stream()
                .map(LoadAndChaosTest::status)
                .filter(LoadAndChaosTest::terminal)
                .count();
    }

    static boolean terminal(QuantizationJobStatus s) {
        return s != null && s.phase != null && s.phase.terminal();
    }

    /**
     * Everything that tells why a run did not succeed: its status (phase, message, conditions), its Jobs (also
     * those being deleted) with their conditions, their pods with every container state, and its Events. A failure
     * under chaos is rare; this makes one explain itself in the test output.
     */
    static String explain(String name) {
        StringBuilder s = new StringBuilder("load: run " + name + " did not succeed\n");
        QuantizationJob qj = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        QuantizationJobStatus st = qj == null ? null : qj.getStatus();
        if (st == null) {
            s.append("  no status").append(qj == null ? " (resource gone)" : "").append('\n');
        } else {
            s.append("  status: phase=%s job=%s observedGeneration=%s start=%s end=%s message=%s%n"
                    .formatted(
                            st.phase, st.jobName, st.observedGeneration, st.startTime, st.completionTime, st.message));
            for (var c : st.conditions) {
                s.append("    condition %s=%s reason=%s since=%s: %s%n"
                        .formatted(
                                c.getType(), c.getStatus(), c.getReason(), c.getLastTransitionTime(), c.getMessage()));
            }
        }
        for (Job job : client.batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel("app.kubernetes.io/instance", name)
                .list()
                .getItems()) {
            var js = job.getStatus();
            s.append("  job %s created=%s deleting=%s active=%s succeeded=%s failed=%s start=%s end=%s%n"
                    .formatted(
                            job.getMetadata().getName(),
                            job.getMetadata().getCreationTimestamp(),
                            job.getMetadata().getDeletionTimestamp(),
                            js == null ? null : js.getActive(),
                            js == null ? null : js.getSucceeded(),
                            js == null ? null : js.getFailed(),
                            js == null ? null : js.getStartTime(),
                            js == null ? null : js.getCompletionTime()));
            if (js != null && js.getConditions() != null) {
                js.getConditions()
                        .forEach(c -> s.append("    job condition %s=%s reason=%s at=%s: %s%n"
                                .formatted(
                                        c.getType(),
                                        c.getStatus(),
                                        c.getReason(),
                                        c.getLastTransitionTime(),
                                        c.getMessage())));
            }
        }
        for (Pod pod : client.pods()
                .inNamespace(NS)
                .withLabel("app.kubernetes.io/instance", name)
                .list()
                .getItems()) {
            var ps = pod.getStatus();
            s.append("  pod %s created=%s deleting=%s phase=%s reason=%s message=%s%n"
                    .formatted(
                            pod.getMetadata().getName(),
                            pod.getMetadata().getCreationTimestamp(),
                            pod.getMetadata().getDeletionTimestamp(),
                            ps == null ? null : ps.getPhase(),
                            ps == null ? null : ps.getReason(),
                            ps == null ? null : ps.getMessage()));
            if (ps != null && ps.getContainerStatuses() != null) {
                ps.getContainerStatuses()
                        .forEach(c -> s.append("    container %s state=%s last=%s%n"
                                .formatted(
                                        c.getName(),
                                        Serialization.asJson(c.getState()),
                                        Serialization.asJson(c.getLastState()))));
            }
        }
        client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && e.getInvolvedObject().getName() != null
                        && e.getInvolvedObject().getName().startsWith(name))
                .forEach(e -> s.append("  event %s %s %s/%s x%s: %s%n"
                        .formatted(
                                e.getLastTimestamp(),
                                e.getReason(),
                                e.getInvolvedObject().getKind(),
                                e.getInvolvedObject().getName(),
                                e.getCount(),
                                e.getMessage())));
        return s.toString();
    }

    static QuantizationJobStatus status(String name) {
        QuantizationJob qj = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        return qj == null ? null : qj.getStatus();
    }

    /** The pod name in the operator's Lease (its holder identity), or null. */
    static String leaseHolder(KubernetesClient client) {
        var lease = client.leases()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withName("quanta-operator")
                .get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
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

    /**
     * The JVM's (PID 1 of the operator container) peak resident set size, from /proc; also prints it with the CPU
     * time the JVM used so far (most of it is its start, which a hand-over waits for).
     */
    static Optional<Long> peakRssKb(Pod pod) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (var exec = client.pods()
                .inNamespace(OperatorRelease.SYSTEM_NS)
                .withName(pod.getMetadata().getName())
                .inContainer("operator")
                .writingOutput(stdout)
                .exec("cat", "/proc/1/status", "/proc/1/stat")) {
            exec.exitCode().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.out.println(
                    "load: cannot read the RSS of " + pod.getMetadata().getName() + ": " + e);
            return Optional.empty();
        }
        String proc = stdout.toString(StandardCharsets.UTF_8);
        Matcher m = HWM.matcher(proc);
        Optional<Long> hwm = m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        Matcher cpu = CPU_TICKS.matcher(proc);
        System.out.printf(
                "load: operator pod %s: peak RSS %s MiB, CPU %s s%n",
                pod.getMetadata().getName(),
                hwm.map(kb -> Long.toString(kb / 1024)).orElse("?"),
                cpu.find()
                        ? String.format("%.1f", (Long.parseLong(cpu.group(1)) + Long.parseLong(cpu.group(2))) / 100.0)
                        : "?");
        return hwm;
    }
}
