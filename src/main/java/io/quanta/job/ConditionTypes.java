package io.quanta.job;

import java.util.List;

/**
 * The condition types a QuantizationJob reports, in the order they are listed. {@link #READY}, {@link #RECONCILING}
 * and {@link #STALLED} follow the kstatus conventions that GitOps tools (Argo CD, Flux) and {@code kubectl wait}
 * read: exactly one of them is True at any time.
 */
public final class ConditionTypes {
    /** True only when the run succeeded (and met its acceptance threshold). */
    public static final String READY = "Ready";
    /** True while the operator still works towards an outcome (Queued, Pending, Running). */
    public static final String RECONCILING = "Reconciling";
    /** True when the run failed for good: nothing changes until the spec does. */
    public static final String STALLED = "Stalled";

    public static final String CALIBRATED = "Calibrated";
    public static final String QUANTIZED = "Quantized";
    public static final String EVALUATED = "Evaluated";
    public static final String ACCEPTED = "Accepted";
    /** The engine's stages and the acceptance check: all True after a successful run. */
    public static final List<String> STAGES = List.of(CALIBRATED, QUANTIZED, EVALUATED, ACCEPTED);

    public static final List<String> ALL =
            List.of(READY, RECONCILING, STALLED, CALIBRATED, QUANTIZED, EVALUATED, ACCEPTED);

    private ConditionTypes() {}
}
