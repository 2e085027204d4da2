package io.quanta.operator.dependent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.EngineContract;
import io.quanta.job.JobNames;
import io.quanta.operator.Fixtures;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.SecretReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineJobBuilderTest {

    private static Job build(QuantizationJob qj) {
        return EngineJobBuilder.build(qj, Fixtures.DEFAULTS);
    }

    private static Container engine(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void jobNameIsDeterministicPerGenerationAndUid() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 3);
        String name = JobNames.jobName(qj);
        assertEquals(name, JobNames.jobName(Fixtures.quantizationJob("vww", 3)));
        assertTrue(name.matches("vww-g3-[0-9a-f]{5}"), name);
        assertEquals(name, build(qj).getMetadata().getName());

        QuantizationJob edited = Fixtures.quantizationJob("vww", 4);
        assertNotEquals(name, JobNames.jobName(edited), "a spec change (new generation) needs a new Job");

        QuantizationJob recreated = Fixtures.quantizationJob("vww", 3);
        recreated.getMetadata().setUid("another-uid");
        assertNotEquals(
                name, JobNames.jobName(recreated), "a re-created resource must not adopt its predecessor's Job");
    }

    @Test
    void longNamesAreCutToAValidJobName() {
        QuantizationJob qj = Fixtures.quantizationJob(
                "a-very-long-quantization-job-name-that-goes-on-and-on-" + "and-still-goes-on-for-a-while", 12);
        String name = JobNames.jobName(qj);
        assertTrue(name.length() <= 63, name);
        assertTrue(name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), name);
        assertTrue(name.endsWith("-g12-" + JobNames.shortHash(Fixtures.UID, 5)), name);
        String instance = build(qj).getMetadata().getLabels().get(JobLabels.INSTANCE);
        assertTrue(instance.length() <= 63, instance);
    }

    @Test
    void jobCarriesLabelsAnnotationAndControllerOwnerReference() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 2);
        Job job = build(qj);
        Map<String, String> labels = job.getMetadata().getLabels();
        assertEquals("quanta-engine", labels.get("app.kubernetes.io/name"));
        assertEquals("vww", labels.get("app.kubernetes.io/instance"));
        assertEquals("engine", labels.get("app.kubernetes.io/component"));
        assertEquals("quanta", labels.get("app.kubernetes.io/part-of"));
        assertEquals("quanta-operator", labels.get("app.kubernetes.io/managed-by"));
        assertEquals("2", labels.get("quanta.io/generation"));
        assertEquals(labels, job.getSpec().getTemplate().getMetadata().getLabels());
        assertEquals(
                "vww",
                job.getSpec().getTemplate().getMetadata().getAnnotations().get(JobLabels.QUANTIZATION_JOB));
        assertEquals("ml", job.getMetadata().getNamespace());

        OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
        assertEquals("quanta.io/v1alpha1", owner.getApiVersion());
        assertEquals("QuantizationJob", owner.getKind());
        assertEquals("vww", owner.getName());
        assertEquals(Fixtures.UID, owner.getUid());
        assertTrue(owner.getController());
        assertTrue(owner.getBlockOwnerDeletion());
    }

    @Test
    void podIsHardened() {
        Job job = build(Fixtures.quantizationJob("vww", 1));
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertFalse(pod.getAutomountServiceAccountToken());
        assertFalse(pod.getEnableServiceLinks());
        assertEquals("Never", pod.getRestartPolicy());
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(EngineJobBuilder.ENGINE_UID, pod.getSecurityContext().getRunAsUser());
        assertEquals(
                "RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());

        SecurityContext container = engine(job).getSecurityContext();
        assertTrue(container.getRunAsNonRoot());
        assertTrue(container.getReadOnlyRootFilesystem());
        assertFalse(container.getAllowPrivilegeEscalation());
        assertFalse(container.getPrivileged());
        assertEquals(List.of("ALL"), container.getCapabilities().getDrop());
        assertTrue(container.getCapabilities().getAdd().isEmpty(), "nothing added");
        assertEquals("RuntimeDefault", container.getSeccompProfile().getType());
        // The only writable path besides the user's volumes is an emptyDir at /tmp.
        assertTrue(engine(job).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/tmp") && m.getName().equals("tmp")));
    }

    @Test
    void runLimitsComeFromTheSpec() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        qj.getSpec().backoffLimit = 2;
        qj.getSpec().activeDeadlineSeconds = 600L;
        qj.getSpec().ttlSecondsAfterFinished = 3600;
        Job job = build(qj);
        assertEquals(2, job.getSpec().getBackoffLimit());
        assertEquals(600L, job.getSpec().getActiveDeadlineSeconds());
        assertEquals(3600, job.getSpec().getTtlSecondsAfterFinished());

        QuantizationJob plain = Fixtures.quantizationJob("plain", 1);
        plain.getSpec().backoffLimit = null;
        Job plainJob = build(plain);
        assertEquals(0, plainJob.getSpec().getBackoffLimit(), "an engine failure is not retried by default");
        assertNull(plainJob.getSpec().getActiveDeadlineSeconds());
        assertNull(plainJob.getSpec().getTtlSecondsAfterFinished());
    }

    @Test
    void resourcesAndImageDefaultToTheOperatorsSettings() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        Container defaults = engine(build(qj));
        assertEquals("localhost/quanta:test", defaults.getImage());
        assertEquals(new Quantity("1Gi"), defaults.getResources().getLimits().get("memory"));
        assertEquals(EngineDefaults.DEFAULT_COMMAND, defaults.getCommand());

        qj.getSpec().image = "registry.example/quanta:1.2";
        qj.getSpec().resources = new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("64Mi"))
                .build();
        Container custom = engine(build(qj));
        assertEquals("registry.example/quanta:1.2", custom.getImage());
        assertEquals(new Quantity("64Mi"), custom.getResources().getLimits().get("memory"));
        // Only the ephemeral storage the spec left out comes from the defaults (limit and its request), so /tmp
        // stays bounded; the spec's own cpu and memory are not mixed with defaults.
        assertEquals(
                Map.of("ephemeral-storage", new Quantity("1Gi")),
                custom.getResources().getRequests());
        assertEquals(new Quantity("4Gi"), custom.getResources().getLimits().get("ephemeral-storage"));
    }

    @Test
    void engineReceivesTheSpecAsJsonAndReportsThroughTheTerminationMessage() throws Exception {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 5);
        Container engine = engine(build(qj));
        Map<String, String> env =
                engine.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        JsonNode spec = new ObjectMapper().readTree(env.get(EngineContract.ENV_SPEC));
        assertEquals("/models/vww.tflite", spec.at("/model/uri").asText());
        assertEquals("Images", spec.at("/calibration/format").asText());
        assertEquals("Directory", spec.at("/evaluation/labels").asText());
        assertEquals("Int8Only", spec.at("/quantization/mode").asText());
        assertEquals("vww", env.get(EngineContract.ENV_NAME));
        assertEquals("ml", env.get(EngineContract.ENV_NAMESPACE));
        assertEquals("5", env.get(EngineContract.ENV_GENERATION));
        assertEquals("/dev/termination-log", engine.getTerminationMessagePath());
        assertEquals("FallbackToLogsOnError", engine.getTerminationMessagePolicy());
    }

    private static Map<String, String> envOf(Container engine) {
        return engine.getEnv().stream().collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void theMemoryBudgetAndTheHeapComeFromTheContainersLimit() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        Container engine = engine(build(qj));
        // 1Gi limit: the JVM takes 75 % as heap (the command's flag), tensors at most half of that.
        assertTrue(
                engine.getCommand().contains("-XX:MaxRAMPercentage=75"),
                engine.getCommand().toString());
        assertEquals(String.valueOf((1L << 30) * 3 / 8), envOf(engine).get(EngineContract.ENV_MAX_MEMORY));
        assertFalse(envOf(engine).containsKey("JAVA_TOOL_OPTIONS"));
        // The engine reads the value as --max-memory does.
        assertEquals(
                (1L << 30) * 3 / 8,
                io.quanta.graph.GraphValidator.parseSize(envOf(engine).get("QUANTA_MAX_MEMORY")));

        qj.getSpec().resources = new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("64Mi"))
                .build();
        assertEquals(
                String.valueOf((64L << 20) * 3 / 8), envOf(engine(build(qj))).get(EngineContract.ENV_MAX_MEMORY));
        qj.getSpec().resources = new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("1.5G"))
                .build();
        assertEquals(
                String.valueOf(1_500_000_000L * 3 / 8), envOf(engine(build(qj))).get(EngineContract.ENV_MAX_MEMORY));
    }

    @Test
    void aCommandThatLeavesTheHeapToTheJvmGetsItSizedFromTheContainer() {
        List<String> bare = List.of("java", "-jar", "/app/quarkus-run.jar", "job", "step");
        EngineDefaults custom = new EngineDefaults(
                Fixtures.DEFAULTS.image(), null, Fixtures.DEFAULTS.resources(), bare, Fixtures.DEFAULTS.policy());
        Map<String, String> env = envOf(engine(EngineJobBuilder.build(Fixtures.quantizationJob("vww", 1), custom)));
        assertEquals("-XX:MaxRAMPercentage=75", env.get("JAVA_TOOL_OPTIONS"));
        List<String> withXmx = List.of("java", "-Xmx700m", "-jar", "/app/quarkus-run.jar", "job", "step");
        EngineDefaults sized = new EngineDefaults(
                Fixtures.DEFAULTS.image(), null, Fixtures.DEFAULTS.resources(), withXmx, Fixtures.DEFAULTS.policy());
        assertFalse(envOf(engine(EngineJobBuilder.build(Fixtures.quantizationJob("vww", 1), sized)))
                .containsKey("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void theEngineReadsBackTheSpecItIsGivenUnderStrictChecking() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        qj.getSpec().resources = new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("64Mi"))
                .addToRequests("cpu", new Quantity("500m"))
                .build();
        io.quanta.operator.api.QuantizationJobSpec back =
                io.quanta.job.JobSpecs.parse(envOf(engine(build(qj))).get(EngineContract.ENV_SPEC));
        assertEquals(qj.getSpec().model.uri, back.model.uri);
        assertEquals(new Quantity("64Mi"), back.resources.getLimits().get("memory"));
    }

    @Test
    void volumesAndSecretsAreMountedAsDeclared() {
        QuantizationJob qj = Fixtures.quantizationJob("vww", 1);
        qj.getSpec().model.secretRef = new SecretReference("s3-creds");
        qj.getSpec().output.secretRef = new SecretReference("s3-creds");
        Job job = build(qj);
        List<Volume> volumes = job.getSpec().getTemplate().getSpec().getVolumes();
        Volume models = volumes.stream()
                .filter(v -> v.getName().equals("models"))
                .findFirst()
                .orElseThrow();
        assertEquals("/srv/models", models.getHostPath().getPath());
        Volume out = volumes.stream()
                .filter(v -> v.getName().equals("out"))
                .findFirst()
                .orElseThrow();
        assertEquals("quanta-output", out.getPersistentVolumeClaim().getClaimName());
        assertEquals(1, volumes.stream().filter(v -> v.getSecret() != null).count(), "one volume per Secret");
        assertTrue(engine(job).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/var/run/secrets/quanta/s3-creds") && m.getReadOnly()));
        assertTrue(engine(job).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/models") && m.getReadOnly()));
        assertTrue(engine(job).getVolumeMounts().stream()
                .anyMatch(m -> m.getMountPath().equals("/out") && !m.getReadOnly()));
    }
}
