package io.quanta.operator.dependent;

import io.quanta.job.JobNames;
import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations the operator puts on the Jobs and pods it creates. */
public final class JobLabels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String GENERATION = "quanta.io/generation";
    /** Annotation with the full QuantizationJob name (label values are limited to 63 characters). */
    public static final String QUANTIZATION_JOB = "quanta.io/quantization-job";

    /** Kueue's LocalQueue label on a Job (the Kueue contract for batch/v1 Jobs). */
    public static final String KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";

    public static final String MANAGER = "quanta-operator";
    /** Selects everything this operator created, in informers. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    private static final int MAX_LABEL_VALUE = 63;

    private JobLabels() {}

    public static Map<String, String> forRun(String quantizationJobName, long generation) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "quanta-engine");
        labels.put(INSTANCE, labelValue(quantizationJobName));
        labels.put(COMPONENT, "engine");
        labels.put(PART_OF, "quanta");
        labels.put(MANAGED_BY, MANAGER);
        labels.put(GENERATION, Long.toString(generation));
        return labels;
    }

    /** Label on every Job and pod of a sharded run: the run's Job name prefix (JobNames.jobName). */
    public static final String RUN = "quanta.io/run";
    /** Label with a sharded run's phase (the engine's QUANTA_PHASE). */
    public static final String PHASE = "quanta.io/phase";
    /** Label with the shard of a per-shard Job (clusters without Indexed Jobs). */
    public static final String SHARD = "quanta.io/shard";
    /** Annotation the Job controller puts on each pod of an Indexed Job. */
    public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    /** {@code run}'s labels plus those of one phase (and shard) of a sharded run. */
    public static Map<String, String> forPhase(
            Map<String, String> run, String runName, io.quanta.job.EnginePhase phase, Integer shard) {
        Map<String, String> labels = new LinkedHashMap<>(run);
        labels.put(RUN, runName);
        labels.put(PHASE, phase.label());
        if (shard != null) {
            labels.put(SHARD, Integer.toString(shard));
        }
        return labels;
    }

    /** A valid label value for {@code value}: itself when short enough, else a prefix plus a stable hash. */
    public static String labelValue(String value) {
        if (value.length() <= MAX_LABEL_VALUE) {
            return value;
        }
        String hash = JobNames.shortHash(value, 8);
        String prefix = value.substring(0, MAX_LABEL_VALUE - hash.length() - 1).replaceAll("[-_.]+$", "");
        return prefix + "-" + hash;
    }
}
