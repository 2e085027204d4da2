package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code quanta job run} honours {@code spec.parallelism}: ResNet-8 on CIFAR-10 with 3 shards, run in-process through
 * the phase code the operator's pods run, ends Succeeded with the same output sha256 and accuracy as parallelism 1,
 * and leaves the work location empty. Prints each phase's time (the figures of issue 12).
 */
@Slow
class JobRunShardsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    private Path manifest(String name, int parallelism) throws Exception {
        Path m = tmp.resolve(name + ".yaml");
        Files.writeString(m, """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata: {name: %s}
                spec:
                  model: {uri: /shared/models/float/tiny_ic_resnet8_float.tflite}
                  calibration:
                    location: {uri: /shared/data/cifar10/cifar10_train932_u8.npy}
                    format: Npy
                    samples: 100
                  evaluation:
                    location: {uri: /shared/data/cifar10/cifar10_train932_u8.npy}
                    format: Npy
                    samples: 400
                    labels: File
                    labelsLocation: {uri: /shared/data/cifar10/cifar10_train932_labels.txt}
                  quantization: {mode: Int8}
                  output: {uri: /out/%s.tflite}
                  parallelism: %d
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: /nonexistent/shared, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: /nonexistent/out}
                """.formatted(name, name, parallelism));
        return m;
    }

    private record Run(CliRunner.Result cli, JsonNode status, long millis) {}

    private Run run(Path manifest, Path work) throws Exception {
        long t0 = System.nanoTime();
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
                tmp.resolve("cache").toString(),
                "--work-location",
                work + "/",
                "--no-progress");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String out = r.out();
        int at = out.indexOf("status:");
        assertTrue(at >= 0, "prints a status: " + r);
        return new Run(r, YAML.readTree(out.substring(at)).get("status"), millis);
    }

    @Test
    void threeShardsGiveTheSameModelAndAccuracyAsOne() throws Exception {
        Files.createDirectories(tmp.resolve("out"));
        Path work1 = tmp.resolve("work1");
        Path work3 = tmp.resolve("work3");
        Run one = run(manifest("resnet8-p1", 1), work1);
        Run three = run(manifest("resnet8-p3", 3), work3);
        assertEquals(0, one.cli().exitCode(), one.cli().toString());
        assertEquals(0, three.cli().exitCode(), three.cli().toString());
        assertEquals(
                "Succeeded",
                three.status().get("phase").asText(),
                three.status().toString());
        assertEquals(
                one.status().get("output").get("sha256").asText(),
                three.status().get("output").get("sha256").asText());
        assertEquals(one.status().get("accuracy"), three.status().get("accuracy"));
        assertEquals(400, three.status().get("accuracy").get("samples").asInt());
        assertFalse(Files.exists(work3), "the work location is deleted after the merge");
        assertTrue(Files.exists(tmp.resolve("out/resnet8-p3.report.json")));
        assertTrue(Files.exists(tmp.resolve("out/resnet8-p3.report.html")));
        System.out.println("parallelism 1: " + one.millis() + " ms; parallelism 3 (in-process): " + three.millis()
                + " ms\n" + three.cli().err());
    }
}
