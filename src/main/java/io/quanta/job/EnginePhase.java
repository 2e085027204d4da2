package io.quanta.job;

import java.util.Locale;

/**
 * The parts of a sharded run ({@link EngineContract#ENV_PHASE}). {@link #ALL} is the unsharded run in one pod.
 * A sharded run is prepare, calibrate (N shards), quantize, evaluate (N shards), merge; cleanup removes the work
 * location after a failure or a deletion.
 */
public enum EnginePhase {
    ALL,
    PREPARE,
    CALIBRATE,
    QUANTIZE,
    EVALUATE,
    MERGE,
    CLEANUP;

    /** The value of {@code QUANTA_PHASE}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the phases that run as N shards (one pod per shard index). */
    public boolean sharded() {
        return this == CALIBRATE || this == EVALUATE;
    }

    /** The phase named by {@code text}; absent or blank is {@link #ALL}. */
    public static EnginePhase parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        for (EnginePhase p : values()) {
            if (p.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException(EngineContract.ENV_PHASE
                + " must be one of all, prepare, calibrate, quantize, evaluate, merge, cleanup, not '" + text + "'");
    }
}
