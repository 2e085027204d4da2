package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16 on the real cluster: the kstatus conditions that {@code kubectl wait} (and Argo CD, Flux) read, the
 * printer columns and category, and spec.pod's scheduling fields reaching the engine pod, or being refused by the
 * policy the release was installed with ({@link OperatorRelease}: priority class {@value #PRIORITY_CLASS}, taint
 * key {@value #TAINT_KEY}, pull secret {@value #PULL_SECRET}, label {@code team}, annotations {@code example.com/*}).
 */
@ExtendWith(OperatorRelease.class)
class HealthAndSchedulingTest {
    static final String NS = "quanta-health";
    static final String PRIORITY_CLASS = "quanta-e2e-low";
    static final String TAINT_KEY = "example.com/dedicated";
    static final String PULL_SECRET = "e2e-regcred";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    static KubernetesClient client;
    static Path out;
    static String hostname;

    @BeforeAll
    static void createRuns() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-health-");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        client.scheduling()
                .v1()
                .priorityClasses()
                .resource(new PriorityClassBuilder()
                        .withNewMetadata()
                        .withName(PRIORITY_CLASS)
                        .endMetadata()
                        .withValue(10)
                        .withDescription("quanta e2e")
                        .build())
                .createOr(existing -> existing.update());
        String dockerConfig = Base64.getEncoder().encodeToString("{\"auths\":{}}".getBytes());
        client.secrets()
                .inNamespace(NS)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(PULL_SECRET)
                        .endMetadata()
                        .withType("kubernetes.io/dockerconfigjson")
                        .withData(Map.of(".dockerconfigjson", dockerConfig))
                        .build())
                .create();
        hostname = client.nodes()
                .list()
                .getItems()
                .get(0)
                .getMetadata()
                .getLabels()
                .get("kubernetes.io/hostname");
        for (String yaml : List.of(good(), bad(), scheduled(), refused())) {
            client.resources(QuantizationJob.class)
                    .inNamespace(NS)
                    .resource(Serialization.unmarshal(yaml, QuantizationJob.class))
                    .create();
        }
    }

    @AfterAll
    static void deleteAll() {
        try {
            Cluster.deleteNamespace(client, NS);
            client.scheduling().v1().priorityClasses().withName(PRIORITY_CLASS).delete();
        } finally {
            client.close();
        }
    }

    @Test
    void kubectlWaitReturnsOnReadyForAGoodRunAndOnStalledForABadOne() throws Exception {
        String ready = kubectl("wait", "qj/good", "-n", NS, "--for=condition=Ready", "--timeout=360s");
        assertTrue(ready.contains("condition met"), ready);
        String stalled = kubectl("wait", "qj/bad", "-n", NS, "--for=condition=Stalled", "--timeout=360s");
        assertTrue(stalled.contains("condition met"), stalled);
        // The docs' "either outcome" line.
        String either = kubectl("wait", "qj/bad", "-n", NS, "--for=condition=Reconciling=false", "--timeout=60s");
        assertTrue(either.contains("condition met"), either);

        QuantizationJobStatus good = status("good");
        assertEquals(Phase.Succeeded, good.phase, Serialization.asYaml(good));
        assertEquals("False", condition(good, "Stalled"));
        assertEquals("False", condition(good, "Reconciling"));
        QuantizationJobStatus bad = status("bad");
        assertEquals(Phase.Failed, bad.phase, Serialization.asYaml(bad));
        assertEquals("False", condition(bad, "Ready"));
        for (var c : bad.conditions) {
            assertEquals(1L, c.getObservedGeneration(), c.toString());
        }

        // Printer columns in the documented order, REASON from the Ready condition; the category lists both.
        String table = kubectl("get", "qj", "-n", NS, "good", "bad");
        String[] header = table.strip().split("\n")[0].trim().split("\\s{2,}");
        assertEquals(
                List.of("NAME", "PHASE", "REASON", "MODE", "ACCURACY DROP", "SIZE RATIO", "AGE"),
                List.of(header),
                table);
        assertTrue(table.contains("ModelNotFound") && table.contains("Completed"), table);
        String category = kubectl("get", "quanta", "-n", NS, "-o", "name");
        assertTrue(category.contains("quantizationjob.quanta.io/good"), category);
        String explain = kubectl("explain", "quantizationjob.spec.pod.priorityClassName");
        assertTrue(explain.contains("PriorityClass of the engine pod"), explain);
    }

    @Test
    void schedulingFieldsReachTheEnginePod() {
        Pod pod =
                Cluster.await(
                        "the engine pod of 'scheduled'",
                        RUN_TIMEOUT,
                        () -> client
                                .pods()
                                .inNamespace(NS)
                                .withLabel("app.kubernetes.io/instance", "scheduled")
                                .list()
                                .getItems()
                                .stream()
                                .findFirst()
                                .orElse(null));
        var spec = pod.getSpec();
        assertEquals(Map.of("kubernetes.io/hostname", hostname), spec.getNodeSelector());
        assertTrue(
                spec.getTolerations().stream()
                        .anyMatch(t -> TAINT_KEY.equals(t.getKey()) && "NoSchedule".equals(t.getEffect())),
                Serialization.asYaml(spec.getTolerations()));
        assertEquals(
                "kubernetes.io/os",
                spec.getAffinity()
                        .getNodeAffinity()
                        .getRequiredDuringSchedulingIgnoredDuringExecution()
                        .getNodeSelectorTerms()
                        .get(0)
                        .getMatchExpressions()
                        .get(0)
                        .getKey());
        assertEquals(PRIORITY_CLASS, spec.getPriorityClassName());
        assertEquals(10, spec.getPriority(), "the Priority admission plugin resolved the class");
        assertEquals(PULL_SECRET, spec.getImagePullSecrets().get(0).getName());
        assertEquals("vision", pod.getMetadata().getLabels().get("team"));
        assertEquals("on", pod.getMetadata().getAnnotations().get("example.com/trace"));
        assertEquals("false", pod.getMetadata().getAnnotations().get("sidecar.istio.io/inject"), "the default");
        QuantizationJobStatus status = Cluster.await("scheduled finished", RUN_TIMEOUT, () -> {
            QuantizationJobStatus s = status("scheduled");
            return s != null && s.phase != null && s.phase.terminal() ? s : null;
        });
        assertEquals(Phase.Succeeded, status.phase, Serialization.asYaml(status));
    }

    @Test
    void schedulingFieldsThePolicyDoesNotAllowAreRefusedBeforeAnyJob() {
        QuantizationJobStatus status = Cluster.await("refused failed", Duration.ofSeconds(60), () -> {
            QuantizationJobStatus s = status("refused");
            return s != null && s.phase == Phase.Failed ? s : null;
        });
        assertEquals("PolicyViolation", reason(status), Serialization.asYaml(status));
        assertTrue(
                status.message.contains("spec.pod.priorityClassName 'system-cluster-critical' is not an allowed "
                        + "priority class [" + PRIORITY_CLASS + "]"),
                status.message);
        assertTrue(status.message.contains("spec.pod.labels 'app.kubernetes.io/name' is reserved"), status.message);
        assertTrue(
                status.message.contains("spec.pod.tolerations[0].key 'node-role.kubernetes.io/master'"),
                status.message);
        assertEquals("True", condition(status, "Stalled"));
        assertTrue(Cluster.jobsOf(client, NS, "refused").isEmpty(), "no Job for a refused spec");
    }

    // ---- the resources ----

    /** A short run on a shared model (tiny_vww_96_float succeeds in seconds) writing to {@code out}. */
    static String run(String name, String model, Path out, String extra) {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: %1$s
                spec:
                  model: {uri: /shared/models/float/%2$s}
                  calibration:
                    location: {uri: /shared/data/person_bmp}
                    format: Images
                    preprocessing: {scale: 0.00392156862745098}
                  quantization: {mode: Int8}
                  output: {uri: /out/%1$s_int8.tflite}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {memory: 1Gi}
                  activeDeadlineSeconds: 600
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: %3$s, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: %4$s}
                """.formatted(name, model, Cluster.shared(), out) + extra;
    }

    static String good() {
        return run("good", "tiny_vww_96_float.tflite", out, "");
    }

    static String bad() {
        return run("bad", "no_such_model.tflite", out, "");
    }

    static String scheduled() {
        return run("scheduled", "tiny_vww_96_float.tflite", out, """
                  pod:
                    nodeSelector: {kubernetes.io/hostname: %s}
                    tolerations: [{key: %s, operator: Exists, effect: NoSchedule}]
                    affinity:
                      nodeAffinity:
                        requiredDuringSchedulingIgnoredDuringExecution:
                          nodeSelectorTerms:
                            - matchExpressions: [{key: kubernetes.io/os, operator: In, values: [linux]}]
                    priorityClassName: %s
                    imagePullSecrets: [{name: %s}]
                    labels: {team: vision}
                    annotations: {example.com/trace: "on"}
                """.formatted(
                        hostname, TAINT_KEY, PRIORITY_CLASS, PULL_SECRET));
    }

    static String refused() {
        return run("refused", "tiny_vww_96_float.tflite", out, """
                  pod:
                    priorityClassName: system-cluster-critical
                    tolerations: [{key: node-role.kubernetes.io/master, operator: Exists}]
                    labels: {app.kubernetes.io/name: sneaky}
                """);
    }

    // ---- helpers ----

    static QuantizationJobStatus status(String name) {
        QuantizationJob qj = client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .withName(name)
                .get();
        return qj == null ? null : qj.getStatus();
    }

    static String condition(QuantizationJobStatus status, String type) {
        return QuantizationScenariosTest.condition(status, type).getStatus();
    }

    static String reason(QuantizationJobStatus status) {
        return QuantizationScenariosTest.condition(status, "Ready").getReason();
    }

    static String kubectl(String... args) throws IOException, InterruptedException {
        return OperatorChartTest.kubectl(args);
    }
}
