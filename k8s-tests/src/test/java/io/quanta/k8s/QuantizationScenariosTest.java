package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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

        for (String yaml : List.of(vww(), unquantizableCast(), missingModel(), deadline())) {
            qjs().resource(Serialization.unmarshal(yaml, GenericKubernetesResource.class)).create();
        }
    }

    @AfterAll
    static void deleteAll() throws IOException {
        try {
            Cluster.deleteNamespace(client, NS);
        } finally {
            client.close();
            if (out != null) {
                try (Stream<Path> files = Files.walk(out)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Issue 4's acceptance: a finished run on tiny_vww_96_float carries accuracy and per-tensor scale stats. */
    @Test
    void vwwSucceedsWithAccuracyAndPerTensorScaleStatistics() throws Exception {
        Map<String, Object> status = finalStatus("vww");
        assertEquals("Succeeded", status.get("phase"), Serialization.asYaml(status));
        assertEquals("True", condition(status, "Ready").get("status"));
        assertEquals("True", condition(status, "Calibrated").get("status"));
        assertEquals("True", condition(status, "Quantized").get("status"));
        assertEquals("True", condition(status, "Evaluated").get("status"));

        Map<String, Object> accuracy = map(status, "accuracy");
        assertEquals(2, number(accuracy, "samples").intValue(), "both person bmps evaluated");
        for (String key : List.of("floatAccuracy", "quantizedAccuracy", "agreement")) {
            double v = number(accuracy, key).doubleValue();
            assertTrue(v >= 0 && v <= 1, key + " = " + v);
        }
        assertEquals(number(accuracy, "floatAccuracy").doubleValue() - number(accuracy, "quantizedAccuracy")
                .doubleValue(), number(accuracy, "drop").doubleValue(), 1e-6, "drop = float - quantized");

        Map<String, Object> scales = map(status, "scaleStats");
        List<Map<String, Object>> tensors = list(scales, "tensors");
        assertTrue(number(scales, "totalTensors").intValue() > 30, "MobileNetV1 has dozens of tensors: " + scales);
        assertFalse(tensors.isEmpty(), "per-tensor scale statistics in the status (from the engine's log line)");
        assertEquals(Boolean.FALSE, scales.get("truncated"), "all of tiny_vww's tensors fit under the cap");
        assertEquals(number(scales, "totalTensors").intValue(), tensors.size());
        for (Map<String, Object> t : tensors) {
            assertNotNull(t.get("name"), "tensor name: " + t);
            assertTrue(number(t, "scale").doubleValue() > 0, "positive scale: " + t);
            if (t.get("min") != null && t.get("max") != null) {
                assertTrue(number(t, "min").doubleValue() <= number(t, "max").doubleValue(), "min <= max: " + t);
            }
        }
        assertTrue(tensors.stream().anyMatch(t -> t.get("zeroPoint") != null), "zero points recorded");
        for (String kind : List.of("ACTIVATION", "WEIGHT", "BIAS")) {
            assertTrue(tensors.stream().anyMatch(t -> kind.equals(t.get("kind"))), kind + " tensors listed");
        }

        Map<String, Object> sizes = map(status, "sizes");
        double ratio = number(sizes, "ratio").doubleValue();
        assertTrue(ratio > 0.2 && ratio < 0.5, "int8 is about a quarter of float: ratio " + ratio);
        Map<String, Object> coverage = map(status, "coverage");
        assertEquals(number(coverage, "totalOps"), number(coverage, "quantizedOps"), "every op quantized");

        // The quantized model is where the status says, with the size and digest it reports.
        Map<String, Object> output = map(status, "output");
        Path written = out.resolve("vww_int8.tflite");
        assertTrue(Files.isRegularFile(written), "output written through the hostPath volume: " + written);
        assertEquals(Files.size(written), number(output, "sizeBytes").longValue());
        assertEquals(sha256(written), output.get("sha256"));

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
        Map<String, Object> status = finalStatus("cast-int8-only");
        assertEquals("Failed", status.get("phase"), Serialization.asYaml(status));
        Map<String, Object> ready = condition(status, "Ready");
        assertEquals("False", ready.get("status"));
        assertEquals("UnsupportedOps", ready.get("reason"), Serialization.asYaml(status));
        assertTrue(String.valueOf(status.get("message")).contains("CAST"), "the op is named: " + status.get("message"));
        assertTrue(String.valueOf(ready.get("message")).contains("CAST"), ready.toString());
    }

    @Test
    void aMissingModelFailsWithItsReason() {
        Map<String, Object> status = finalStatus("missing-model");
        assertEquals("Failed", status.get("phase"), Serialization.asYaml(status));
        Map<String, Object> ready = condition(status, "Ready");
        assertEquals("ModelNotFound", ready.get("reason"), Serialization.asYaml(status));
        assertTrue(String.valueOf(status.get("message")).contains("/shared/models/float/no_such_model.tflite"),
                "the message names the missing file: " + status.get("message"));
    }

    @Test
    void activeDeadlineSecondsExceededFailsWithItsReason() {
        Map<String, Object> status = finalStatus("deadline");
        assertEquals("Failed", status.get("phase"), Serialization.asYaml(status));
        Map<String, Object> ready = condition(status, "Ready");
        assertEquals("DeadlineExceeded", ready.get("reason"), Serialization.asYaml(status));
        assertTrue(String.valueOf(ready.get("message")).contains("activeDeadlineSeconds=3"), ready.toString());
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
                  quantization: {mode: Int8, perChannel: true}
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
                  quantization: {mode: Int8}
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

    static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> qjs() {
        return client.genericKubernetesResources("quanta.io/v1alpha1", "QuantizationJob").inNamespace(NS);
    }

    static Map<String, Object> finalStatus(String name) {
        Map<String, Object> status = Cluster.await(name + " finished", RUN_TIMEOUT, () -> {
            GenericKubernetesResource r = qjs().withName(name).get();
            @SuppressWarnings("unchecked")
            Map<String, Object> s = r == null ? null : (Map<String, Object>) r.getAdditionalProperties().get("status");
            return s != null && ("Failed".equals(s.get("phase")) || "Succeeded".equals(s.get("phase"))) ? s : null;
        });
        System.out.println(name + " status:\n" + Serialization.asYaml(status));
        return status;
    }

    static Map<String, Object> condition(Map<String, Object> status, String type) {
        return list(status, "conditions").stream().filter(c -> type.equals(c.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + Serialization.asYaml(status)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertNotNull(v, key + " missing in " + parent);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertNotNull(v, key + " missing in " + parent);
        return (List<Map<String, Object>>) v;
    }

    static Number number(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertTrue(v instanceof Number, key + " is not a number in " + parent);
        return (Number) v;
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
