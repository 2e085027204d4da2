package io.quanta.job;

import io.quanta.operator.api.QuantizationJob;
import io.quanta.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The names a QuantizationJob's run goes by, the same for the operator and a local {@code job run}. */
public final class JobNames {
    private static final int MAX_JOB_NAME = 63;

    private JobNames() {}

    /**
     * The Job name for the resource's current generation: {@code <name>-g<generation>-<uid hash>}, at most 63
     * characters (Job names end up in label values). The uid part keeps a re-created resource of the same name
     * from adopting a Job its predecessor left behind.
     */
    public static String jobName(QuantizationJob qj) {
        return withSuffix(qj, "");
    }

    /**
     * The Job of one phase of a sharded run: {@code <jobName>-<phase>}, plus {@code -<shard>} for a shard's own
     * Job (clusters without Indexed Jobs); the QuantizationJob's name is shortened so that it fits in 63 characters.
     */
    public static String phaseJobName(QuantizationJob qj, EnginePhase phase, Integer shard) {
        return withSuffix(qj, "-" + ShardPlan.abbreviation(phase) + (shard == null ? "" : "-" + shard));
    }

    private static String withSuffix(QuantizationJob qj, String tail) {
        String uid = Objects.requireNonNullElse(qj.getMetadata().getUid(), "");
        String suffix = "-g" + generation(qj) + "-" + shortHash(uid, 5) + tail;
        String base = qj.getMetadata().getName();
        if (base.length() + suffix.length() > MAX_JOB_NAME) {
            base = base.substring(0, MAX_JOB_NAME - suffix.length()).replaceAll("[-.]+$", "");
        }
        return base + suffix;
    }

    /** The resource's generation; 1 for one the API server has not stored yet (a local manifest). */
    public static long generation(QuantizationJob qj) {
        Long generation = qj.getMetadata().getGeneration();
        return generation == null ? 1L : generation;
    }

    /** The first {@code hexChars} hex digits of the SHA-256 of {@code value}. */
    public static String shortHash(String value, int hexChars) {
        return Sha256.of(value.getBytes(StandardCharsets.UTF_8)).substring(0, hexChars);
    }
}
