package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quanta job run} with a {@code Wav} dataset and {@code Directory} labels: calibration on the shared
 * micro_speech files as they lie, evaluation on a class-folder tree built here from them.
 */
class JobRunWavTest {
    @TempDir
    Path tmp;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String MANIFEST = """
            apiVersion: quanta.io/v1alpha1
            kind: QuantizationJob
            metadata: {name: kws-int8}
            spec:
              model: {uri: /work/kws.tflite}
              calibration:
                location: {uri: /shared/data/speech_wav}
                format: Wav
                wav: {hop: 160}
              evaluation:
                location: {uri: /work/speech}
                format: Wav
                wav: {hop: 160}
                labels: Directory
                %s
              quantization: {mode: Int8}
              output: {uri: /out/kws_int8.tflite}
              volumes:
                - {name: shared, mountPath: /shared, hostPath: /nonexistent/shared, readOnly: true}
                - {name: work, mountPath: /work, hostPath: /nonexistent/work, readOnly: true}
                - {name: out, mountPath: /out, hostPath: /nonexistent/out}
            """;

    private JsonNode run(String labelsLocation) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Files.createDirectories(tmp.resolve("out"));
        ModelWriter.write(WavQuantizeCommandTest.audioClassifier(), work.resolve("kws.tflite"));
        if (!Files.exists(work.resolve("speech"))) {
            WavQuantizeCommandTest.classTree(work.resolve("speech"));
        }
        Path manifest = tmp.resolve("kws.yaml");
        Files.writeString(manifest, MANIFEST.formatted(labelsLocation));
        CliRunner.Result r = CliRunner.run(
                new Main(Map.of()),
                "job",
                "run",
                manifest.toString(),
                "--volume",
                "shared=" + SharedAssets.root().toAbsolutePath(),
                "--volume",
                "work=" + work,
                "--volume",
                "out=" + tmp.resolve("out"),
                "--work-dir",
                tmp.resolve("run").toString(),
                "--no-progress");
        int at = r.out().indexOf("status:");
        assertTrue(at >= 0, "prints a status: " + r);
        JsonNode status = YAML.readTree(r.out().substring(at)).get("status");
        assertEquals(status.get("phase").asText().equals("Succeeded") ? 0 : 2, r.exitCode(), r.toString());
        return status;
    }

    @Test
    void wavCalibrationAndDirectoryLabelledEvaluationSucceed() throws Exception {
        Files.createDirectories(tmp.resolve("work"));
        Files.writeString(tmp.resolve("work/classes.txt"), "silence\nunknown\nyes\nno\nnoise\n");
        JsonNode s = run("labelsLocation: {uri: /work/classes.txt}");
        assertEquals("Succeeded", s.get("phase").asText(), s.toString());
        // Calibration: 4 x 98 windows of the 1000 ms files + one per 30 ms file; the tree holds the same files.
        assertEquals(394, s.get("accuracy").get("samples").asInt(), s.toString());
        assertTrue(s.get("accuracy").has("floatAccuracy"), "labelled by the class folders: " + s);
        assertTrue(Files.size(tmp.resolve("out/kws_int8.tflite")) > 0);
        JsonNode report = new ObjectMapper()
                .readTree(tmp.resolve("out/kws_int8.report.json").toFile());
        assertEquals(
                394,
                report.get("calibration").get("samples").asInt(),
                report.get("calibration").toString());
    }

    @Test
    void aClassListWithoutAFolderFailsAsDatasetInvalid() throws Exception {
        Files.createDirectories(tmp.resolve("work"));
        Files.writeString(tmp.resolve("work/classes.txt"), "yes\nno\n");
        JsonNode s = run("labelsLocation: {uri: /work/classes.txt}");
        assertEquals("Failed", s.get("phase").asText(), s.toString());
        assertTrue(s.get("message").asText().contains("class folder 'noise' is not in the class list"), s.toString());
        assertFalse(s.get("message").asText().contains("\n"));
        assertFalse(Files.exists(tmp.resolve("out/kws_int8.tflite")));
    }

    @Test
    void withoutAClassListTheFoldersAreNumberedInSortedOrder() throws Exception {
        JsonNode s = run("");
        assertEquals("Succeeded", s.get("phase").asText(), s.toString());
        assertEquals(394, s.get("accuracy").get("samples").asInt(), s.toString());
    }
}
