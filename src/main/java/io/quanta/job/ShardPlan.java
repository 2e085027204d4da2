package io.quanta.job;

import io.quanta.operator.api.QuantizationJobSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The phases a sharded run goes through, from its spec: prepare, calibrate (when the mode calibrates), quantize,
 * evaluate (when there is an evaluation dataset), merge. Cleanup is not among them: it runs only after a failure.
 *
 * @param shards           spec.parallelism
 * @param phases           the phases in order
 * @param keepIntermediate spec.keepIntermediate: no cleanup after a failure
 */
public record ShardPlan(int shards, List<EnginePhase> phases, boolean keepIntermediate) {
    public ShardPlan {
        if (shards < 1 || shards > EngineContract.MAX_SHARDS) {
            throw new IllegalArgumentException(
                    "parallelism must be 1.." + EngineContract.MAX_SHARDS + ", found " + shards);
        }
        phases = List.copyOf(phases);
    }

    /** spec.parallelism, 1 when unset. */
    public static int parallelism(QuantizationJobSpec spec) {
        return spec.parallelism == null ? 1 : spec.parallelism;
    }

    /** Whether the spec asks for a sharded run (otherwise one pod does it all, as before parallelism existed). */
    public static boolean sharded(QuantizationJobSpec spec) {
        return parallelism(spec) > 1;
    }

    public static ShardPlan of(QuantizationJobSpec spec) {
        List<EnginePhase> phases = new ArrayList<>();
        phases.add(EnginePhase.PREPARE);
        if (spec.calibration != null
                && JobSpecs.needsCalibration(JobSpecs.options(spec.quantization).mode())) {
            phases.add(EnginePhase.CALIBRATE);
        }
        phases.add(EnginePhase.QUANTIZE);
        if (spec.evaluation != null) {
            phases.add(EnginePhase.EVALUATE);
        }
        phases.add(EnginePhase.MERGE);
        return new ShardPlan(parallelism(spec), phases, Boolean.TRUE.equals(spec.keepIntermediate));
    }

    /** How many pods {@code phase} runs: the shard count for a sharded phase, else one. */
    public int podsOf(EnginePhase phase) {
        return phase.sharded() ? shards : 1;
    }

    /** How the status names a phase, e.g. "calibration 3/4 shards". */
    public static String noun(EnginePhase phase) {
        return switch (phase) {
            case ALL -> "run";
            case PREPARE -> "preparation";
            case CALIBRATE -> "calibration";
            case QUANTIZE -> "quantization";
            case EVALUATE -> "evaluation";
            case MERGE -> "merge";
            case CLEANUP -> "cleanup";
        };
    }

    /** A phase's short form in Job names (they must fit in 63 characters). */
    public static String abbreviation(EnginePhase phase) {
        return switch (phase) {
            case ALL -> "all";
            case PREPARE -> "prep";
            case CALIBRATE -> "cal";
            case QUANTIZE -> "quant";
            case EVALUATE -> "eval";
            case MERGE -> "merge";
            case CLEANUP -> "clean";
        };
    }
}
