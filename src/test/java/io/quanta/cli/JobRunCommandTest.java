package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quanta job run}: a manifest run locally, printing the status the operator would record. */
class JobRunCommandTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private record Run(CliRunner.Result cli, JsonNode status) {}

    private Run run(Path manifest) throws Exception {
        CliRunner.Result r = CliRunner.run(
                new Main(Map.of()),
                "job",
                "run",
                manifest.toString(),
                "--volume",
                "shared=" + SharedAssets.root().toAbsolutePath(),
                "--volume",
                "out=" + tmp.resolve("out"),
                "--work-dir",
                tmp.resolve("work").toString(),
                "--no-progress");
        String out = r.out();
        int at = out.indexOf("status:");
        assertTrue(at >= 0, "prints a status: " + r);
        return new Run(r, YAML.readTree(out.substring(at)).get("status"));
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.get("conditions")) {
            if (type.equals(c.get("type").asText())) {
                return c;
            }
        }
        throw new AssertionError("no condition " + type + " in " + status);
    }

    @Test
    void theMnistExampleSucceedsWithAccuracyAndScaleStats() throws Exception {
        Files.createDirectories(tmp.resolve("out"));
        Run r = run(Path.of("examples/mnist-int8.yaml"));
        assertEquals(0, r.cli().exitCode(), r.cli().toString());
        JsonNode s = r.status();
        assertEquals("Succeeded", s.get("phase").asText(), s.toString());
        assertEquals(1, s.get("observedGeneration").asInt());
        assertEquals("True", condition(s, "Ready").get("status").asText());
        assertEquals("True", condition(s, "Evaluated").get("status").asText());
        assertEquals("ThresholdMet", condition(s, "Accepted").get("reason").asText());
        JsonNode accuracy = s.get("accuracy");
        assertEquals(1000, accuracy.get("samples").asInt());
        assertTrue(accuracy.get("floatAccuracy").asDouble() > 0.98, accuracy.toString());
        assertTrue(accuracy.get("drop").asDouble() <= 0.01, accuracy.toString());
        JsonNode scales = s.get("scaleStats");
        assertFalse(scales.get("truncated").asBoolean());
        assertEquals(scales.get("totalTensors").asInt(), scales.get("tensors").size());
        assertTrue(scales.get("tensors").size() > 5, scales.toString());
        Path model = tmp.resolve("out/ethosu85_mnist_cnn_int8.tflite");
        assertEquals(model.toString(), s.get("output").get("location").asText());
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
        assertEquals(sha, s.get("output").get("sha256").asText());
        assertTrue(s.get("sizes").get("ratio").asDouble() < 0.3);
    }

    /** Issue 9: the hard case with minAgreement and the Greedy search, and with a budget it cannot meet. */
    @Test
    void greedySearchMeetsMinAgreementAndAnUnmeetableBudgetFailsNamingTheBestTrial() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path windows = io.quanta.testing.SpeechFrontEnd.writeWindows(out.resolve("speech_windows.npy"));
        io.quanta.testing.SpeechFrontEnd.writeModel(out.resolve("speech.tflite"), windows);
        String manifest = """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata: {name: speech-search}
                spec:
                  model: {uri: /out/speech.tflite}
                  calibration:
                    location: {uri: /out/speech_windows.npy}
                    format: Npy
                  quantization:
                    mode: Int8
                    search: {strategy: Greedy, maxTrials: %d}
                  acceptance: {%s}
                  output: {uri: /out/speech_searched.tflite}
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: /unused, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: /unused}
                """;
        Path met = tmp.resolve("speech.yaml");
        Files.writeString(met, manifest.formatted(10, "minAgreement: 0.95"));
        Run r = run(met);
        assertEquals(0, r.cli().exitCode(), r.cli().toString());
        JsonNode s = r.status();
        assertEquals("Succeeded", s.get("phase").asText(), s.toString());
        JsonNode search = s.get("search");
        assertEquals("agreement >= 0.95", search.get("budget").asText(), s.toString());
        assertTrue(search.get("budgetMet").asBoolean());
        assertEquals("[\"power\",\"energies\"]", search.get("keptFloat").toString());
        assertEquals(3, search.get("nonInt8Ops").asInt());
        assertTrue(search.get("trials").asInt() > 1);
        assertTrue(
                condition(s, "Accepted").get("message").asText().startsWith("budget met: agreement >= 0.95 after "),
                s.toString());

        Path unmet = tmp.resolve("speech-unmet.yaml");
        Files.writeString(unmet, manifest.formatted(2, "minSqnrDb: 200"));
        JsonNode f = run(unmet).status();
        assertEquals("Failed", f.get("phase").asText(), f.toString());
        JsonNode ready = condition(f, "Ready");
        assertEquals("AccuracyBudgetNotMet", ready.get("reason").asText(), f.toString());
        assertTrue(ready.get("message").asText().contains("best: trial"), f.toString());
    }

    @Test
    void int8OnlyOnACastFailsWithTheOpsListed() throws Exception {
        Path manifest = tmp.resolve("autokeras.yaml");
        Files.writeString(manifest, """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata: {name: autokeras-int8}
                spec:
                  model: {uri: /shared/models/float/autokeras_mnist_cnn_u8in_float.tflite}
                  calibration:
                    location: {uri: /shared/data/mnist_png}
                    format: Images
                  quantization: {mode: Int8Only}
                  output: {uri: /out/autokeras_int8.tflite}
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: /nonexistent/shared, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: /nonexistent/out}
                """);
        Files.createDirectories(tmp.resolve("out"));
        Run r = run(manifest);
        assertEquals(2, r.cli().exitCode(), r.cli().toString());
        JsonNode s = r.status();
        assertEquals("Failed", s.get("phase").asText());
        assertEquals("UnsupportedOps", condition(s, "Ready").get("reason").asText());
        assertEquals("False", condition(s, "Quantized").get("status").asText());
        assertEquals("True", condition(s, "Calibrated").get("status").asText());
        assertTrue(s.get("message").asText().contains("CAST"), s.toString());
        assertFalse(Files.exists(tmp.resolve("out/autokeras_int8.tflite")));
    }

    @Test
    void aPathOnNoVolumeIsInvalidSpecAsTheOperatorSaysIt() throws Exception {
        Path manifest = tmp.resolve("bad.yaml");
        Files.writeString(manifest, """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata: {name: bad}
                spec:
                  model: {uri: /models/m.tflite}
                  calibration: {location: {uri: /data/calib}, format: Images}
                  output: {uri: /out/m_int8.tflite}
                """);
        Run r = run(manifest);
        assertEquals(2, r.cli().exitCode(), r.cli().toString());
        assertEquals("Failed", r.status().get("phase").asText());
        assertEquals("InvalidSpec", condition(r.status(), "Ready").get("reason").asText());
        assertTrue(
                r.status().get("message").asText().contains("spec.model.uri '/models/m.tflite' is not on any volume"),
                r.status().toString());
    }

    @Test
    void dynamicRangeAndFloat16RunWithoutCalibrationData() throws Exception {
        Files.createDirectories(tmp.resolve("out"));
        for (String mode : java.util.List.of("DynamicRange", "Float16")) {
            Path manifest = tmp.resolve(mode + ".yaml");
            Files.writeString(manifest, """
                    apiVersion: quanta.io/v1alpha1
                    kind: QuantizationJob
                    metadata: {name: mnist-%1$s}
                    spec:
                      model: {uri: /shared/models/float/ethosu85_mnist_cnn_float.tflite}
                      quantization: {mode: %2$s}
                      output: {uri: /out/mnist_%1$s.tflite}
                      volumes:
                        - {name: shared, mountPath: /shared, hostPath: /nonexistent/shared, readOnly: true}
                        - {name: out, mountPath: /out, hostPath: /nonexistent/out}
                    """.formatted(mode.toLowerCase(java.util.Locale.ROOT), mode));
            Run r = run(manifest);
            assertEquals(0, r.cli().exitCode(), r.cli().toString());
            JsonNode s = r.status();
            assertEquals("Succeeded", s.get("phase").asText(), s.toString());
            double ratio = s.get("sizes").get("ratio").asDouble();
            // int8 weights take a quarter of float32's bytes, float16 ones a half (plus the graph's overhead).
            assertTrue(
                    mode.equals("Float16") ? ratio > 0.45 && ratio < 0.6 : ratio > 0.2 && ratio < 0.45,
                    mode + " size ratio " + ratio);
            assertTrue(Files.isRegularFile(
                    tmp.resolve("out/mnist_" + mode.toLowerCase(java.util.Locale.ROOT) + ".tflite")));
        }
    }
}
