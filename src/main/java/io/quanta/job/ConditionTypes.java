package io.quanta.job;

import java.util.List;

/** The condition types a QuantizationJob reports, in the order they are listed. */
public final class ConditionTypes {
    public static final String READY = "Ready";
    public static final String CALIBRATED = "Calibrated";
    public static final String QUANTIZED = "Quantized";
    public static final String EVALUATED = "Evaluated";
    public static final String ACCEPTED = "Accepted";
    public static final List<String> ALL = List.of(READY, CALIBRATED, QUANTIZED, EVALUATED, ACCEPTED);

    private ConditionTypes() {}
}
