package io.quanta.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quanta.job.EngineContract;
import io.quanta.job.EnginePhase;
import io.quanta.job.JobNames;
import io.quanta.operator.api.EnginePodSpec;
import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.ModelVolume;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Builds the batch/v1 Job that runs one generation of a QuantizationJob. Pure: the same resource and defaults
 * always give the same Job, which is what makes the Job name usable as an idempotency key.
 */
public final class EngineJobBuilder {

    /** Non-root user and group of the engine process (any numeric id works with a world-readable /app). */
    public static final long ENGINE_UID = 65532L;

    /** The engine's download cap (read by io.quanta.storage.StorageOptions). */
    static final String MAX_DOWNLOAD_ENV = "QUANTA_MAX_DOWNLOAD_BYTES";

    /** Options every JVM reads at start, whatever its command line. */
    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineJobBuilder() {}

    public static OwnerReference ownerReference(QuantizationJob qj) {
        return new OwnerReferenceBuilder()
                .withApiVersion(qj.getApiVersion())
                .withKind(qj.getKind())
                .withName(qj.getMetadata().getName())
                .withUid(qj.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public static Job build(QuantizationJob qj, EngineDefaults defaults) {
        return render(qj, defaults, null);
    }

    /**
     * One phase's Job of a sharded run (spec.parallelism > 1).
     *
     * @param phase        the phase
     * @param shards       spec.parallelism
     * @param shard        the shard this Job runs, for a sharded phase on a cluster without Indexed Jobs; else null
     * @param indexed      whether a sharded phase runs as one Indexed Job (batch/v1 completionMode Indexed)
     * @param workLocation where the phases keep their intermediates
     */
    public record PhaseJob(EnginePhase phase, int shards, Integer shard, boolean indexed, String workLocation) {
        /** The Jobs that run {@code shardIndexes} of {@code phase}: one Indexed Job, or one Job per shard. */
        public static List<PhaseJob> of(
                EnginePhase phase, int shards, List<Integer> shardIndexes, boolean indexed, String workLocation) {
            if (!phase.sharded()) {
                return List.of(new PhaseJob(phase, shards, null, false, workLocation));
            }
            if (indexed) {
                return List.of(new PhaseJob(phase, shards, null, true, workLocation));
            }
            return shardIndexes.stream()
                    .map(i -> new PhaseJob(phase, shards, i, false, workLocation))
                    .toList();
        }

        String name(QuantizationJob qj) {
            return JobNames.phaseJobName(qj, phase, shard);
        }
    }

    public static Job build(QuantizationJob qj, EngineDefaults defaults, PhaseJob phaseJob) {
        return render(qj, defaults, Objects.requireNonNull(phaseJob));
    }

    /** The single Job of an unsharded run ({@code phaseJob} null), or one phase's Job of a sharded run. */
    private static Job render(QuantizationJob qj, EngineDefaults defaults, PhaseJob phaseJob) {
        QuantizationJobSpec spec = qj.getSpec();
        String name = qj.getMetadata().getName();
        long generation = JobNames.generation(qj);
        Map<String, String> labels = JobLabels.forRun(name, generation);
        if (phaseJob != null) {
            labels = JobLabels.forPhase(labels, JobNames.jobName(qj), phaseJob.phase(), phaseJob.shard());
        }
        Map<String, String> annotations = Map.of(JobLabels.QUANTIZATION_JOB, name);
        // Kueue's contract: a suspended Job with its LocalQueue label; Kueue unsuspends it once admitted.
        boolean kueue = spec.queueName != null;
        Map<String, String> jobLabels = labels;
        if (kueue) {
            jobLabels = new LinkedHashMap<>(labels);
            jobLabels.put(JobLabels.KUEUE_QUEUE, spec.queueName);
        }
        int backoffLimit = spec.backoffLimit == null ? 0 : spec.backoffLimit;
        boolean indexed = phaseJob != null && phaseJob.indexed();
        // Intermediate phases keep their Jobs until the run ends: the Jobs are the record of how far it got.
        boolean ttl =
                phaseJob == null || phaseJob.phase() == EnginePhase.MERGE || phaseJob.phase() == EnginePhase.CLEANUP;

        return new JobBuilder()
                .withNewMetadata()
                .withName(phaseJob == null ? JobNames.jobName(qj) : phaseJob.name(qj))
                .withNamespace(qj.getMetadata().getNamespace())
                .withLabels(jobLabels)
                .withAnnotations(annotations)
                .withOwnerReferences(ownerReference(qj))
                .endMetadata()
                .withNewSpec()
                .withSuspend(kueue ? Boolean.TRUE : null)
                .withCompletions(indexed ? phaseJob.shards() : null)
                .withParallelism(indexed ? phaseJob.shards() : null)
                .withCompletionMode(indexed ? "Indexed" : null)
                // Before backoffLimitPerIndex (1.29, beta) an Indexed Job's retries are shared by its indexes: each
                // shard gets spec.backoffLimit on average.
                .withBackoffLimit(indexed ? backoffLimit * phaseJob.shards() : backoffLimit)
                .withActiveDeadlineSeconds(spec.activeDeadlineSeconds)
                .withTtlSecondsAfterFinished(ttl ? spec.ttlSecondsAfterFinished : null)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(withOwn(defaults.policy().pod().labelsFor(spec.pod), labels))
                .withAnnotations(withOwn(defaults.policy().pod().annotationsFor(spec.pod), annotations))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withNodeSelector(spec.pod == null ? null : spec.pod.nodeSelector)
                .withTolerations(tolerations(spec.pod))
                .withAffinity(spec.pod == null ? null : spec.pod.affinity)
                .withPriorityClassName(spec.pod == null ? null : spec.pod.priorityClassName)
                .withImagePullSecrets(pullSecrets(spec.pod))
                .withServiceAccountName(spec.serviceAccountName)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withTerminationGracePeriodSeconds(5L)
                .withSecurityContext(podSecurityContext())
                .withContainers(engineContainer(qj, defaults, phaseJob))
                .withVolumes(volumes(spec, defaults.policy()))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** {@code extra} with the operator's own entries on top (the policy refuses specs that try to set those). */
    private static Map<String, String> withOwn(Map<String, String> extra, Map<String, String> own) {
        Map<String, String> out = new LinkedHashMap<>(extra);
        out.putAll(own);
        return out;
    }

    private static List<Toleration> tolerations(EnginePodSpec pod) {
        if (pod == null || pod.tolerations == null) {
            return List.of();
        }
        return pod.tolerations.stream()
                .map(t -> new TolerationBuilder()
                        .withKey(t.key)
                        .withOperator(t.operator == null ? null : t.operator.name())
                        .withValue(t.value)
                        .withEffect(t.effect == null ? null : t.effect.name())
                        .withTolerationSeconds(t.tolerationSeconds)
                        .build())
                .toList();
    }

    private static List<LocalObjectReference> pullSecrets(EnginePodSpec pod) {
        if (pod == null || pod.imagePullSecrets == null) {
            return List.of();
        }
        return pod.imagePullSecrets.stream()
                .map(r -> new LocalObjectReference(r.name))
                .toList();
    }

    static PodSecurityContext podSecurityContext() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(ENGINE_UID)
                .withRunAsGroup(ENGINE_UID)
                .withFsGroup(ENGINE_UID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    static SecurityContext containerSecurityContext() {
        Capabilities dropAll = new CapabilitiesBuilder().withDrop("ALL").build();
        return new SecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(ENGINE_UID)
                .withAllowPrivilegeEscalation(false)
                .withPrivileged(false)
                .withReadOnlyRootFilesystem(true)
                .withCapabilities(dropAll)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }

    private static Container engineContainer(QuantizationJob qj, EngineDefaults defaults, PhaseJob phaseJob) {
        QuantizationJobSpec spec = qj.getSpec();
        String image = spec.image != null ? spec.image : defaults.image();
        ResourceRequirements resources = defaults.resourcesFor(spec);
        return new ContainerBuilder()
                .withName(EngineContract.CONTAINER)
                .withImage(image)
                .withImagePullPolicy(defaults.imagePullPolicy())
                .withCommand(defaults.command())
                .withWorkingDir(EngineContract.TMP_DIR)
                .withEnv(env(qj, defaults, resources, phaseJob))
                .withResources(resources)
                .withSecurityContext(containerSecurityContext())
                .withTerminationMessagePath(EngineContract.RESULT_FILE)
                // A JVM that dies before writing its result still leaves its last log lines as the message.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withVolumeMounts(volumeMounts(spec))
                .build();
    }

    private static List<EnvVar> env(
            QuantizationJob qj, EngineDefaults defaults, ResourceRequirements resources, PhaseJob phaseJob) {
        List<EnvVar> env = new ArrayList<>(List.of(
                envVar(EngineContract.ENV_SPEC, specJson(qj.getSpec())),
                envVar(EngineContract.ENV_NAME, qj.getMetadata().getName()),
                envVar(EngineContract.ENV_NAMESPACE, qj.getMetadata().getNamespace()),
                envVar(EngineContract.ENV_GENERATION, Long.toString(JobNames.generation(qj))),
                envVar(EngineContract.ENV_RESULT_FILE, EngineContract.RESULT_FILE),
                // The cap is what keeps downloads inside /tmp; the policy checked that it fits.
                envVar(MAX_DOWNLOAD_ENV, Long.toString(defaults.policy().maxDownloadBytes()))));
        tensorBudget(resources)
                .ifPresent(bytes -> env.add(envVar(EngineContract.ENV_MAX_MEMORY, Long.toString(bytes))));
        if (!setsHeap(defaults.command())) {
            // A custom command that leaves the heap to the JVM's default (a quarter of the limit) gets it sized
            // from the container like the default command, so that the budget above fits in it.
            env.add(envVar(JAVA_TOOL_OPTIONS, EngineDefaults.HEAP_FLAG));
        }
        if (phaseJob != null) {
            env.add(envVar(EngineContract.ENV_PHASE, phaseJob.phase().label()));
            env.add(envVar(EngineContract.ENV_SHARD_COUNT, Integer.toString(phaseJob.shards())));
            // An Indexed Job's pods read their shard from JOB_COMPLETION_INDEX, which the Job controller sets.
            if (phaseJob.shard() != null) {
                env.add(envVar(EngineContract.ENV_SHARD_INDEX, Integer.toString(phaseJob.shard())));
            }
            env.add(envVar(EngineContract.ENV_WORK_LOCATION, phaseJob.workLocation()));
        }
        return List.copyOf(env);
    }

    /**
     * The memory a model's tensors may take in the engine: half of the heap, which is {@link
     * EngineDefaults#HEAP_PERCENT} of the container's memory limit; empty without a limit (the engine then takes
     * half of whatever heap it has).
     */
    static java.util.Optional<Long> tensorBudget(ResourceRequirements resources) {
        Quantity limit = resources == null || resources.getLimits() == null
                ? null
                : resources.getLimits().get("memory");
        if (limit == null) {
            return java.util.Optional.empty();
        }
        BigDecimal heap = EnginePolicy.bytes(limit)
                .multiply(BigDecimal.valueOf(EngineDefaults.HEAP_PERCENT))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.DOWN);
        return java.util.Optional.of(heap.divide(BigDecimal.valueOf(2), 0, RoundingMode.DOWN)
                .max(BigDecimal.ONE)
                .longValue());
    }

    /** True when the command sizes the JVM heap itself (-Xmx, or a MaxRAMPercentage/MaxRAM flag). */
    static boolean setsHeap(List<String> command) {
        return command.stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAM"));
    }

    private static EnvVar envVar(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    static String specJson(QuantizationJobSpec spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise QuantizationJob spec: " + e.getMessage(), e);
        }
    }

    private static List<Volume> volumes(QuantizationJobSpec spec, EnginePolicy policy) {
        List<Volume> volumes = new ArrayList<>();
        volumes.add(new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(policy.tmpSize())
                .endEmptyDir()
                .build());
        for (ModelVolume v : nullSafe(spec.volumes)) {
            VolumeBuilder b = new VolumeBuilder().withName(v.name);
            if (v.claimName != null) {
                b.withNewPersistentVolumeClaim()
                        .withClaimName(v.claimName)
                        .withReadOnly(Boolean.TRUE.equals(v.readOnly))
                        .endPersistentVolumeClaim();
            } else {
                b.withNewHostPath().withPath(v.hostPath).withType("Directory").endHostPath();
            }
            volumes.add(b.build());
        }
        for (String secret : secretNames(spec)) {
            volumes.add(new VolumeBuilder()
                    .withName(secretVolumeName(secret))
                    .withNewSecret()
                    .withSecretName(secret)
                    .withDefaultMode(0440)
                    .endSecret()
                    .build());
        }
        return volumes;
    }

    private static List<VolumeMount> volumeMounts(QuantizationJobSpec spec) {
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder()
                .withName("tmp")
                .withMountPath(EngineContract.TMP_DIR)
                .build());
        for (ModelVolume v : nullSafe(spec.volumes)) {
            mounts.add(new VolumeMountBuilder()
                    .withName(v.name)
                    .withMountPath(v.mountPath)
                    .withReadOnly(Boolean.TRUE.equals(v.readOnly))
                    .build());
        }
        for (String secret : secretNames(spec)) {
            mounts.add(new VolumeMountBuilder()
                    .withName(secretVolumeName(secret))
                    .withMountPath(EngineContract.SECRETS_DIR + "/" + secret)
                    .withReadOnly(true)
                    .build());
        }
        return mounts;
    }

    /** Every Secret referenced by any location of the spec, sorted and without duplicates. */
    static List<String> secretNames(QuantizationJobSpec spec) {
        TreeSet<String> names = new TreeSet<>();
        Stream.of(
                        spec.model,
                        spec.output,
                        spec.calibration == null ? null : spec.calibration.location,
                        spec.evaluation == null ? null : spec.evaluation.location,
                        spec.evaluation == null ? null : spec.evaluation.labelsLocation)
                .filter(Objects::nonNull)
                .map((LocationSpec l) -> l.secretRef)
                .filter(Objects::nonNull)
                .forEach(ref -> names.add(ref.name));
        return List.copyOf(names);
    }

    /** Volume names are DNS labels: a Secret name (a subdomain, up to 253 chars) is hashed to fit. */
    static String secretVolumeName(String secret) {
        return "secret-" + JobNames.shortHash(secret, 10);
    }

    private static <T> List<T> nullSafe(List<T> list) {
        return list == null ? List.of() : list;
    }
}
