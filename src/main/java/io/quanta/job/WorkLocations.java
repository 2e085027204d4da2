package io.quanta.job;

import java.util.Map;

/**
 * Where a sharded run keeps its intermediate files, and what they are called: pure functions shared by the
 * operator (which passes the work location to every phase's pods) and the engine (which reads and writes there).
 */
public final class WorkLocations {
    /** The prepare phase writes and deletes this file to prove the work location is writable. */
    public static final String MARKER = "prepare-marker";
    /** What the quantize phase leaves for the evaluate and merge phases (report so far, tensor pairs, sha256s). */
    public static final String QUANTIZED = "quantized.json";

    private WorkLocations() {}

    /**
     * The default work location of a run: {@code <output>.work/<uid>/} beside the output model, on the same storage
     * (a folder on a volume, or a prefix in the same bucket), so no node-local disk is assumed.
     */
    public static String defaultFor(String output, String uid) {
        if (uid == null || uid.isBlank() || uid.contains("/")) {
            throw new IllegalArgumentException("a run's uid must be a non-empty name without '/', got '" + uid + "'");
        }
        String o = output.strip();
        while (o.endsWith("/")) {
            o = o.substring(0, o.length() - 1);
        }
        return o + ".work/" + uid.strip() + "/";
    }

    /** A file directly under the work location (which gets its trailing '/' if missing). */
    public static String file(String workLocation, String name) {
        String w = workLocation.strip();
        return (w.endsWith("/") ? w : w + "/") + name;
    }

    /** Calibration statistics of shard {@code index} of {@code count}: {@code stats-<I>-of-<N>.json}. */
    public static String statsName(int index, int count) {
        return "stats-" + index + "-of-" + count + ".json";
    }

    /** Evaluation tallies of shard {@code index} of {@code count}: {@code tally-<I>-of-<N>.json}. */
    public static String tallyName(int index, int count) {
        return "tally-" + index + "-of-" + count + ".json";
    }

    /** The shard count from {@code QUANTA_SHARD_COUNT}: 1 when absent; 1..{@value EngineContract#MAX_SHARDS}. */
    public static int shardCount(Map<String, String> env) {
        String v = env.get(EngineContract.ENV_SHARD_COUNT);
        if (v == null || v.isBlank()) {
            return 1;
        }
        int n = parse(EngineContract.ENV_SHARD_COUNT, v);
        if (n < 1 || n > EngineContract.MAX_SHARDS) {
            throw new IllegalArgumentException(
                    EngineContract.ENV_SHARD_COUNT + " must be 1.." + EngineContract.MAX_SHARDS + ", got " + n);
        }
        return n;
    }

    /**
     * This pod's shard index: {@code QUANTA_SHARD_INDEX}, else {@code JOB_COMPLETION_INDEX} (Indexed Jobs), else 0
     * when there is one shard; 0..count-1.
     */
    public static int shardIndex(Map<String, String> env, int count) {
        String v = env.get(EngineContract.ENV_SHARD_INDEX);
        String name = EngineContract.ENV_SHARD_INDEX;
        if (v == null || v.isBlank()) {
            v = env.get(EngineContract.ENV_JOB_COMPLETION_INDEX);
            name = EngineContract.ENV_JOB_COMPLETION_INDEX;
        }
        if (v == null || v.isBlank()) {
            if (count == 1) {
                return 0;
            }
            throw new IllegalArgumentException("a sharded phase needs " + EngineContract.ENV_SHARD_INDEX + " or "
                    + EngineContract.ENV_JOB_COMPLETION_INDEX + " (0.." + (count - 1) + ")");
        }
        int i = parse(name, v);
        if (i < 0 || i >= count) {
            throw new IllegalArgumentException(
                    name + " must be 0.." + (count - 1) + " for " + count + " shards, got " + i);
        }
        return i;
    }

    private static int parse(String name, String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'");
        }
    }
}
