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
public record ShardPlan(int shards, List<ShardPhase> phases, boolean keepIntermediate) {
    public static final int MAX_SHARDS = 64;

    public ShardPlan {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException("parallelism must be 1.." + MAX_SHARDS + ", found " + shards);
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
        List<ShardPhase> phases = new ArrayList<>();
        phases.add(ShardPhase.PREPARE);
        if (spec.calibration != null
                && JobSpecs.needsCalibration(JobSpecs.options(spec.quantization).mode())) {
            phases.add(ShardPhase.CALIBRATE);
        }
        phases.add(ShardPhase.QUANTIZE);
        if (spec.evaluation != null) {
            phases.add(ShardPhase.EVALUATE);
        }
        phases.add(ShardPhase.MERGE);
        return new ShardPlan(parallelism(spec), phases, Boolean.TRUE.equals(spec.keepIntermediate));
    }

    /** How many pods {@code phase} runs: the shard count for a sharded phase, else one. */
    public int podsOf(ShardPhase phase) {
        return phase.sharded() ? shards : 1;
    }
}
