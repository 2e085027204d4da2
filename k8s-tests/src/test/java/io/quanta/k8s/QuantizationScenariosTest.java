package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * QuantizationJobs on the real shared models, each CR -> Job -> engine pod -> final status. The models and data
 * reach the pods read-only through a hostPath volume of ../shared; outputs go to a fresh host folder that the
 * engine's user (65532) may write. All four resources are created at once so that their pods run side by side;
 * each test then waits for its own outcome.
 */
@ExtendWith(OperatorRelease.class)
class QuantizationScenariosTest {
    static final String NS = "quanta-runs";
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    static KubernetesClient client;
    static Path out;

    @BeforeAll
    static void createAllRuns() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-out-");
        // The engine runs as uid 65532, not as the user who runs these tests.
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path labels = out.resolve("vww-labels.txt");
        Files.writeString(labels, "person.bmp 1\nno_person.bmp 0\n");
        Files.setPosixFilePermissions(labels, PosixFilePermissions.fromString("rw-r--r--"));

        SpeechCase.write(out);

        for (String yaml : List.of(vww(), unquantizableCast(), missingModel(), deadline(), speechSearch())) {
            qjs().resource(Serialization.unmarshal(yaml, QuantizationJob.class)).create();
        }
    }

    @AfterAll
    static void deleteAll() throws IOException {
        try {
            Cluster.deleteNamespace(client, NS);
        } finally {
            client.close();
            Cluster.deleteFolder(out);
        }
    }

    /** Issue 4's acceptance: a finished run on tiny_vww_96_float carries accuracy and per-tensor scale stats. */
    @Test
    void vwwSucceedsWithAccuracyAndPerTensorScaleStatistics() throws Exception {
        QuantizationJobStatus status = finalStatus("vww");
        assertEquals(Phase.Succeeded, status.phase, Serialization.asYaml(status));
        assertEquals("True", condition(status, "Ready").getStatus());
        assertEquals("True", condition(status, "Calibrated").getStatus());
        assertEquals("True", condition(status, "Quantized").getStatus());
        assertEquals("True", condition(status, "Evaluated").getStatus());

        QuantizationJobStatus.AccuracyStatus accuracy = present(status.accuracy, "accuracy", status);
        assertEquals(2, (int) accuracy.samples, "both person bmps evaluated");
        for (Double v : List.of(accuracy.floatAccuracy, accuracy.quantizedAccuracy, accuracy.agreement)) {
            assertTrue(v != null && v >= 0 && v <= 1, Serialization.asYaml(accuracy));
        }
        assertEquals(
                accuracy.floatAccuracy - accuracy.quantizedAccuracy, accuracy.drop, 1e-6, "drop = float - quantized");

        QuantizationJobStatus.ScaleStatsStatus scales = present(status.scaleStats, "scaleStats", status);
        List<QuantizationJobStatus.TensorScaleStatus> tensors = present(scales.tensors, "scaleStats.tensors", status);
        assertTrue(scales.totalTensors > 30, "MobileNetV1 has dozens of tensors: " + scales.totalTensors);
        assertFalse(tensors.isEmpty(), "per-tensor scale statistics in the status (from the engine's log line)");
        assertEquals(Boolean.FALSE, scales.truncated, "all of tiny_vww's tensors fit under the cap");
        assertEquals((int) scales.totalTensors, tensors.size());
        for (QuantizationJobStatus.TensorScaleStatus t : tensors) {
            assertNotNull(t.name, "tensor name: " + Serialization.asJson(t));
            assertTrue(t.scale != null && t.scale > 0, "positive scale: " + Serialization.asJson(t));
            if (t.min != null && t.max != null) {
                assertTrue(t.min <= t.max, "min <= max: " + Serialization.asJson(t));
            }
        }
        assertTrue(tensors.stream().anyMatch(t -> t.zeroPoint != null), "zero points recorded");
        for (String kind : List.of("ACTIVATION", "WEIGHT", "BIAS")) {
            assertTrue(tensors.stream().anyMatch(t -> kind.equals(t.kind)), kind + " tensors listed");
        }

        double ratio = present(status.sizes, "sizes", status).ratio;
        assertTrue(ratio > 0.2 && ratio < 0.5, "int8 is about a quarter of float: ratio " + ratio);
        QuantizationJobStatus.CoverageStatus coverage = present(status.coverage, "coverage", status);
        assertEquals(coverage.totalOps, coverage.quantizedOps, "every op quantized");

        // The quantized model is where the status says, with the size and digest it reports.
        QuantizationJobStatus.OutputStatus output = present(status.output, "output", status);
        Path written = out.resolve("vww_int8.tflite");
        assertTrue(Files.isRegularFile(written), "output written through the hostPath volume: " + written);
        assertEquals(Files.size(written), (long) output.sizeBytes);
        assertEquals(sha256(written), output.sha256);

        String row = kubectl("get", "qj", "vww", "-n", NS);
        String[] lines = row.strip().split("\n");
        for (String column : List.of("NAME", "PHASE", "MODE", "ACCURACY DROP", "SIZE RATIO", "AGE")) {
            assertTrue(lines[0].contains(column), column + " in\n" + row);
        }
        assertTrue(lines[1].contains("Succeeded") && lines[1].contains("Int8"), row);
        assertTrue(lines[1].contains(String.valueOf(ratio).substring(0, 4)), "size ratio column in\n" + row);
    }

    @Test
    void int8OnlyOnAModelWithAnUnquantizableOpFailsListingTheOps() {
        // The model takes raw uint8 pixels and CASTs them to float inside; there is no int8 CAST kernel.
        QuantizationJobStatus status = finalStatus("cast-int8-only");
        assertEquals(Phase.Failed, status.phase, Serialization.asYaml(status));
        Condition ready = condition(status, "Ready");
        assertEquals("False", ready.getStatus());
        assertEquals("UnsupportedOps", ready.getReason(), Serialization.asYaml(status));
        assertTrue(String.valueOf(status.message).contains("CAST"), "the op is named: " + status.message);
        assertTrue(String.valueOf(ready.getMessage()).contains("CAST"), ready.toString());
    }

    @Test
    void aMissingModelFailsWithItsReason() {
        QuantizationJobStatus status = finalStatus("missing-model");
        assertEquals(Phase.Failed, status.phase, Serialization.asYaml(status));
        Condition ready = condition(status, "Ready");
        assertEquals("ModelNotFound", ready.getReason(), Serialization.asYaml(status));
        assertTrue(
                String.valueOf(status.message).contains("/shared/models/float/no_such_model.tflite"),
                "the message names the missing file: " + status.message);
    }

    /**
     * Issue 9's acceptance: on the hard case (a speech front end whose energies span many orders of magnitude before
     * a LOG), minAgreement 0.95 with the Greedy search ends Succeeded, keeping the front end float; the status lists
     * the ops kept float and the trials, and the Accepted condition names the budget.
     */
    @Test
    void greedySearchMeetsMinAgreementOnTheHardCase() {
        QuantizationJobStatus status = finalStatus("speech-search");
        assertEquals(Phase.Succeeded, status.phase, Serialization.asYaml(status));
        QuantizationJobStatus.SearchStatus search = present(status.search, "search", status);
        assertEquals(Boolean.TRUE, search.budgetMet, Serialization.asYaml(status));
        assertEquals("agreement >= 0.95", search.budget);
        assertTrue(
                search.keptFloat.contains("energies") && search.keptFloat.contains("power"),
                "the front end kept float: " + search.keptFloat);
        assertTrue(search.nonInt8Ops <= 3, "at most 3 ops not in int8: " + search.nonInt8Ops);
        assertTrue(search.trials > 1, "trials: " + search.trials);
        Condition accepted = condition(status, "Accepted");
        assertEquals("True", accepted.getStatus());
        assertTrue(accepted.getMessage().contains("agreement >= 0.95"), accepted.getMessage());
        assertTrue(Files.isRegularFile(out.resolve("speech_searched.tflite")));
    }

    @Test
    void activeDeadlineSecondsExceededFailsWithItsReason() {
        QuantizationJobStatus status = finalStatus("deadline");
        assertEquals(Phase.Failed, status.phase, Serialization.asYaml(status));
        Condition ready = condition(status, "Ready");
        assertEquals("DeadlineExceeded", ready.getReason(), Serialization.asYaml(status));
        assertTrue(String.valueOf(ready.getMessage()).contains("activeDeadlineSeconds=3"), ready.toString());
    }

    // ---- the resources ----

    private static String volumes() {
        return """
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: %s, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: %s}
                """.formatted(Cluster.shared(), out);
    }

    static String vww() {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: vww
                spec:
                  model: {uri: /shared/models/float/tiny_vww_96_float.tflite}
                  calibration:
                    location: {uri: /shared/data/person_bmp}
                    format: Images
                    preprocessing: {scale: 0.00392156862745098}
                  evaluation:
                    location: {uri: /shared/data/person_bmp}
                    format: Images
                    preprocessing: {scale: 0.00392156862745098}
                    labels: File
                    labelsLocation: {uri: /out/vww-labels.txt}
                  quantization: {mode: Int8Only, perChannel: true}
                  output: {uri: /out/vww_int8.tflite}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {memory: 1Gi}
                  activeDeadlineSeconds: 600
                """ + volumes();
    }

    static String unquantizableCast() {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: cast-int8-only
                spec:
                  model: {uri: /shared/models/float/autokeras_mnist_cnn_u8in_float.tflite}
                  calibration:
                    location: {uri: /shared/data/mnist_png}
                    format: Images
                  quantization: {mode: Int8Only}
                  output: {uri: /out/autokeras_int8.tflite}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {memory: 1Gi}
                  activeDeadlineSeconds: 600
                """ + volumes();
    }

    static String missingModel() {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: missing-model
                spec:
                  model: {uri: /shared/models/float/no_such_model.tflite}
                  calibration:
                    location: {uri: /shared/data/person_bmp}
                    format: Images
                  output: {uri: /out/missing_int8.tflite}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {memory: 1Gi}
                  activeDeadlineSeconds: 600
                """ + volumes();
    }

    /** The hard case of issue 9 (see {@link SpeechCase}) with minAgreement 0.95 and the Greedy search. */
    static String speechSearch() {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: speech-search
                spec:
                  model: {uri: /out/%s}
                  calibration:
                    location: {uri: /out/%s}
                    format: Npy
                  quantization:
                    mode: Int8
                    search: {strategy: Greedy, maxTrials: 10}
                  acceptance: {minAgreement: 0.95}
                  output: {uri: /out/speech_searched.tflite}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {memory: 1Gi}
                  activeDeadlineSeconds: 600
                """.formatted(SpeechCase.MODEL, SpeechCase.WINDOWS) + volumes();
    }

    /**
     * A deadline far shorter than any possible run: the engine gets a tenth of a core (a JVM alone needs several
     * seconds to start so throttled) and must calibrate and evaluate MobileNet 224 within 3 seconds.
     */
    static String deadline() {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: deadline
                spec:
                  model: {uri: /shared/models/float/tfls_mobilenet_v1_0.25_224_float.tflite}
                  calibration:
                    location: {uri: /shared/data/images}
                    format: Images
                    preprocessing: {scale: 0.00784313725490196, offset: -1, resize: true}
                  output: {uri: /out/mobilenet_int8.tflite}
                  resources:
                    requests: {cpu: 100m, memory: 256Mi}
                    limits: {cpu: 100m, memory: 1Gi}
                  activeDeadlineSeconds: 3
                """ + volumes();
    }

    // ---- helpers ----

    static NonNamespaceOperation<QuantizationJob, KubernetesResourceList<QuantizationJob>, Resource<QuantizationJob>>
            qjs() {
        return client.resources(QuantizationJob.class).inNamespace(NS);
    }

    static QuantizationJobStatus finalStatus(String name) {
        return finalStatus(qjs(), name, RUN_TIMEOUT);
    }

    /** The status of the QuantizationJob {@code name} once it reached a final phase. */
    static QuantizationJobStatus finalStatus(
            NonNamespaceOperation<QuantizationJob, KubernetesResourceList<QuantizationJob>, Resource<QuantizationJob>>
                    resources,
            String name,
            Duration timeout) {
        QuantizationJobStatus status = Cluster.await(name + " finished", timeout, () -> {
            QuantizationJob r = resources.withName(name).get();
            QuantizationJobStatus s = r == null ? null : r.getStatus();
            return s != null && s.phase != null && s.phase.terminal() ? s : null;
        });
        System.out.println(name + " status:\n" + Serialization.asYaml(status));
        return status;
    }

    static Condition condition(QuantizationJobStatus status, String type) {
        return present(status.conditions, "conditions", status).stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + Serialization.asYaml(status)));
    }

    static <T> T present(T value, String field, QuantizationJobStatus status) {
        assertNotNull(value, field + " missing in " + Serialization.asYaml(status));
        return value;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            digest.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String kubectl(String... args) throws IOException, InterruptedException {
        return OperatorChartTest.kubectl(args);
    }
}
