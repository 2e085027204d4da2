package io.quanta.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 14's memory goal on a real pod: an engine quantizing MobileNet-v1-0.25-224 with 1 000 calibration and 1 000
 * evaluation samples fits a 512 Mi memory limit, its heap sized from the container (the engine command's
 * -XX:MaxRAMPercentage), the samples read from a 574 MiB float32 .npy that is mapped, not held on the heap (its clean
 * pages count against the limit but the kernel reclaims them instead of killing the pod).
 */
@ExtendWith(OperatorRelease.class)
class MemoryLimitTest {
    static final String NS = "quanta-memory";
    static final String NAME = "mobilenet-512mi";
    static final int SAMPLES = 1000;
    static final int[] SAMPLE_SHAPE = {224, 224, 3};
    static KubernetesClient client;
    static Path out;

    @BeforeAll
    static void createRun() throws IOException {
        client = Cluster.client();
        Cluster.createNamespace(client, NS);
        out = Files.createTempDirectory(Path.of("/tmp"), "quanta-e2e-memory-");
        // The engine runs as uid 65532, not as the user who runs these tests.
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path samples = out.resolve("mobilenet_1000.npy");
        writeRandomNpy(samples, SAMPLES, SAMPLE_SHAPE);
        // Evaluation needs labels; any class per sample will do, the figures asked for here are about memory.
        Path labels = out.resolve("labels.txt");
        Random random = new Random(7);
        StringBuilder lines = new StringBuilder();
        for (int s = 0; s < SAMPLES; s++) {
            lines.append(random.nextInt(1001)).append('\n');
        }
        Files.writeString(labels, lines);
        for (Path p : List.of(samples, labels)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        client.resources(QuantizationJob.class)
                .inNamespace(NS)
                .resource(Serialization.unmarshal(resource(), QuantizationJob.class))
                .create();
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

    @Test
    void mobilenetWithAThousandSamplesFitsA512MiPod() throws IOException {
        QuantizationJobStatus status = QuantizationScenariosTest.finalStatus(
                client.resources(QuantizationJob.class).inNamespace(NS), NAME, Duration.ofMinutes(15));
        assertEquals(Phase.Succeeded, status.phase, Serialization.asYaml(status));

        // The one engine pod ran once, under the 512 Mi limit, and ended on its own (not OOMKilled).
        List<Job> jobs = Cluster.jobsOf(client, NS, NAME);
        assertEquals(1, jobs.size(), "one engine Job");
        var container =
                jobs.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(new Quantity("512Mi"), container.getResources().getLimits().get("memory"));
        assertTrue(
                container.getCommand().stream().anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage=")),
                "the heap is sized from the container: " + container.getCommand());
        List<Pod> pods = client.pods()
                .inNamespace(NS)
                .withLabel("job-name", jobs.get(0).getMetadata().getName())
                .list()
                .getItems();
        assertEquals(1, pods.size(), "one engine pod (no retry after a kill)");
        ContainerStatus engine = pods.get(0).getStatus().getContainerStatuses().get(0);
        assertEquals(0, (int) engine.getRestartCount());
        assertNotNull(engine.getState().getTerminated(), Serialization.asYaml(engine));
        assertEquals("Completed", engine.getState().getTerminated().getReason(), Serialization.asYaml(engine));
        assertEquals(0, (int) engine.getState().getTerminated().getExitCode());

        // Every sample was used on both sides.
        assertEquals(SAMPLES, (int) status.accuracy.samples, Serialization.asYaml(status));
        JsonNode report = new ObjectMapper()
                .readTree(out.resolve("mobilenet_int8.report.json").toFile());
        assertEquals(
                SAMPLES,
                report.path("calibration").path("samples").asInt(),
                report.path("calibration").toString());
        assertEquals(
                SAMPLES,
                report.path("evaluation").path("samples").asInt(),
                report.path("evaluation").toString());
    }

    static String resource() {
        return """
                apiVersion: quanta.io/v1alpha1
                kind: QuantizationJob
                metadata:
                  name: %s
                spec:
                  model: {uri: /shared/models/float/tfls_mobilenet_v1_0.25_224_float.tflite}
                  calibration:
                    location: {uri: /out/mobilenet_1000.npy}
                    format: Npy
                    samples: %d
                  evaluation:
                    location: {uri: /out/mobilenet_1000.npy}
                    format: Npy
                    samples: %d
                    labels: File
                    labelsLocation: {uri: /out/labels.txt}
                  quantization: {mode: Int8}
                  output: {uri: /out/mobilenet_int8.tflite}
                  resources:
                    requests: {cpu: 500m, memory: 512Mi}
                    limits: {memory: 512Mi}
                  activeDeadlineSeconds: 1800
                  volumes:
                    - {name: shared, mountPath: /shared, hostPath: %s, readOnly: true}
                    - {name: out, mountPath: /out, hostPath: %s}
                """.formatted(NAME, SAMPLES, SAMPLES, Cluster.shared(), out);
    }

    /** A float32 .npy of seeded values in [-1, 1), shape [count, ...sample], written block by block. */
    static void writeRandomNpy(Path file, int count, int[] sample) throws IOException {
        int per = 1;
        for (int d : sample) {
            per *= d;
        }
        int[] shape = new int[sample.length + 1];
        shape[0] = count;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Random random = new Random(42);
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            write(ch, ByteBuffer.wrap(NpyFiles.float32Header(shape)));
            ByteBuffer block = ByteBuffer.allocate(per * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int s = 0; s < count; s++) {
                block.clear();
                for (int k = 0; k < per; k++) {
                    block.putFloat(random.nextFloat() * 2 - 1);
                }
                block.flip();
                write(ch, block);
            }
        }
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
