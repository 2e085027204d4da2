package io.quanta.operator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.quanta.operator.api.DatasetSpec;
import io.quanta.operator.api.EvaluationDatasetSpec;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.ModelVolume;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.EnginePolicy;
import io.quanta.report.RunResult;
import java.util.List;

/** Builders for QuantizationJobs and for the Jobs and pods a cluster would show at each step of a run. */
public final class Fixtures {
    /** The operator's defaults, with a policy that allows the fixtures' hostPath volumes under /srv. */
    public static final EngineDefaults DEFAULTS =
            EngineDefaults.of("localhost/quanta:test").withPolicy(allowingHostPaths("/srv"));

    public static final String UID = "6f1c1d7e-0b7a-4d8e-9d53-2f0b3c1a9e11";

    private Fixtures() {}

    public static EnginePolicy allowingHostPaths(String... prefixes) {
        EnginePolicy d = EnginePolicy.DEFAULT;
        return new EnginePolicy(
                List.of(prefixes),
                d.allowedImages(),
                d.maxResources(),
                d.allowedServiceAccounts(),
                d.tmpSize(),
                d.maxDownloadBytes());
    }

    /** A valid resource: model and data on a hostPath volume, output on a PVC, with evaluation. */
    public static QuantizationJob quantizationJob(String name, long generation) {
        QuantizationJob qj = new QuantizationJob();
        qj.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("ml")
                .withUid(UID)
                .withGeneration(generation)
                .build());
        QuantizationJobSpec spec = new QuantizationJobSpec();
        spec.model = new LocationSpec("/models/vww.tflite");
        spec.calibration = new DatasetSpec(new LocationSpec("/data/calib"), DatasetSpec.Format.IMAGES);
        spec.calibration.samples = 10;
        EvaluationDatasetSpec eval = new EvaluationDatasetSpec();
        eval.location = new LocationSpec("/data/eval");
        eval.format = DatasetSpec.Format.IMAGES;
        eval.labels = EvaluationDatasetSpec.LabelSource.DIRECTORY;
        spec.evaluation = eval;
        spec.output = new LocationSpec("file:///out/vww_int8.tflite");
        spec.volumes = List.of(
                volume("models", "/models", true, null, "/srv/models"),
                volume("data", "/data", true, null, "/srv/data"),
                volume("out", "/out", false, "quanta-output", null));
        qj.setSpec(spec);
        return qj;
    }

    public static ModelVolume volume(String name, String mountPath, boolean readOnly, String claim, String host) {
        ModelVolume v = new ModelVolume();
        v.name = name;
        v.mountPath = mountPath;
        v.readOnly = readOnly;
        v.claimName = claim;
        v.hostPath = host;
        return v;
    }

    /** The Job the operator created for {@code qj}, as the API server returns it (uid set, no status yet). */
    public static Job createdJob(QuantizationJob qj) {
        Job job = EngineJobBuilder.build(qj, DEFAULTS);
        job.getMetadata().setUid("job-uid-" + job.getMetadata().getName());
        job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatus());
        job.getStatus().setStartTime("2024-05-01T10:00:00Z");
        return job;
    }

    public static Job withCondition(Job job, String type, String reason, String message) {
        return new JobBuilder(job)
                .editStatus()
                .addToConditions(new JobConditionBuilder()
                        .withType(type)
                        .withStatus("True")
                        .withReason(reason)
                        .withMessage(message)
                        .withLastTransitionTime("2024-05-01T10:05:00Z")
                        .build())
                .withCompletionTime("Complete".equals(type) ? "2024-05-01T10:05:00Z" : null)
                .endStatus()
                .build();
    }

    /** A pod of {@code job} whose engine container is in the given state. */
    public static Pod pod(Job job, String suffix, ContainerStatus engine) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-" + suffix)
                .withNamespace(job.getMetadata().getNamespace())
                // Shortly before the tests' clock (10:10:00), well inside the default podStartTimeoutSeconds.
                .withCreationTimestamp("2024-05-01T10:09:5" + suffix.length() + "Z")
                .addNewOwnerReference()
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withNewStatus()
                .withPhase("Pending")
                .withContainerStatuses(engine)
                .endStatus()
                .build();
    }

    public static ContainerStatus running() {
        return new ContainerStatusBuilder()
                .withName("engine")
                .withImage("localhost/quanta:test")
                .withNewState()
                .withNewRunning()
                .withStartedAt("2024-05-01T10:00:05Z")
                .endRunning()
                .endState()
                .build();
    }

    public static ContainerStatus waiting(String reason, String message) {
        return new ContainerStatusBuilder()
                .withName("engine")
                .withImage("localhost/quanta:test")
                .withNewState()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .endState()
                .build();
    }

    public static ContainerStatus terminated(int exitCode, String reason, String message) {
        return new ContainerStatusBuilder()
                .withName("engine")
                .withImage("localhost/quanta:test")
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .withMessage(message)
                .endTerminated()
                .endState()
                .build();
    }

    /** A complete successful result with two scale entries, as the engine would report it. */
    public static RunResult successResult() {
        return RunResult.builder()
                .outcome(RunResult.Outcome.SUCCEEDED)
                .message("done")
                .output(new RunResult.Output("file:///out/vww_int8.tflite", 340_000L, "ab".repeat(32)))
                .sizes(new RunResult.Sizes(1_200_000L, 340_000L, 340_000.0 / 1_200_000.0))
                .coverage(new RunResult.Coverage(31, 31, 0, List.of()))
                .accuracy(new RunResult.Accuracy(0.85, 0.84, 0.01, 0.97, 100))
                .scales(RunResult.ScaleStats.of(List.of(
                        new RunResult.TensorScale(
                                "input", RunResult.TensorScale.Kind.ACTIVATION, 0, 1, 1.0 / 255, 1.0 / 255, -128, 1),
                        new RunResult.TensorScale(
                                "conv1/weights", RunResult.TensorScale.Kind.WEIGHT, -0.5, 0.6, 0.001, 0.004, 0, 8))))
                .build();
    }
}
