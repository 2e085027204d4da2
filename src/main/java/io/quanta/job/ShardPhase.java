package io.quanta.job;

import java.util.Locale;

/**
 * The phases of a sharded run (spec.parallelism > 1), in order; each runs as its own batch/v1 Job(s). The engine
 * reads its phase from {@code QUANTA_PHASE} ({@link #env()}); {@code all} (today's single pod) is not among them.
 */
public enum ShardPhase {
    /** Checks that the work location is writable, before any shard starts. */
    PREPARE("prep", "preparation", false),
    /** One pod per shard records calibration statistics of its slice. */
    CALIBRATE("cal", "calibration", true),
    /** One pod merges the statistics and writes the model. */
    QUANTIZE("quant", "quantization", false),
    /** One pod per shard evaluates its slice into a tally. */
    EVALUATE("eval", "evaluation", true),
    /** One pod merges the tallies into the report and the run's result. */
    MERGE("merge", "merge", false),
    /** Deletes the work location after a failed run (merge does it after a successful one). */
    CLEANUP("clean", "cleanup", false);

    private final String abbreviation;
    private final String noun;
    private final boolean sharded;

    ShardPhase(String abbreviation, String noun, boolean sharded) {
        this.abbreviation = abbreviation;
        this.noun = noun;
        this.sharded = sharded;
    }

    /** The value of {@code QUANTA_PHASE} and of the phase label on its Jobs. */
    public String env() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The short form in Job names (they must fit in 63 characters). */
    public String abbreviation() {
        return abbreviation;
    }

    /** How the status names it, e.g. "calibration 3/4 shards". */
    public String noun() {
        return noun;
    }

    /** Whether it runs one pod per shard (otherwise one pod). */
    public boolean sharded() {
        return sharded;
    }

    /** The phase whose {@link #env()} is {@code value}, or null. */
    public static ShardPhase fromEnv(String value) {
        for (ShardPhase p : values()) {
            if (p.env().equals(value)) {
                return p;
            }
        }
        return null;
    }
}
