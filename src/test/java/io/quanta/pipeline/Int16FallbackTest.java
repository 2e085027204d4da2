package io.quanta.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.DataType;
import io.quanta.quantize.OpReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class Int16FallbackTest {
    static final List<OpReport> BASELINE = List.of(
            new OpReport(0, "MUL", OpReport.Outcome.QUANTIZED, null, DataType.INT8),
            new OpReport(1, "FULLY_CONNECTED", OpReport.Outcome.QUANTIZED, null, DataType.INT8),
            new OpReport(2, "LOG", OpReport.Outcome.FLOAT_FALLBACK, "no int8 kernel for LOG", null),
            new OpReport(3, "RELU6", OpReport.Outcome.QUANTIZED, null, DataType.INT8));
    static final List<String> NAMES = List.of("power", "energies", "log", "relu");

    @Test
    void everyCandidateMovedMeansInt16ItselfFellShort() {
        assertEquals(
                "; int16 is not enough: with every op TFLite 2.21 runs in 16x8 moved, the budget still fails, as int16's"
                        + " 65 536 steps at zero point 0 do not hold these values (more than 4.5 decades between the"
                        + " smallest value that matters and the largest); --fallback float keeps ops float instead;"
                        + " left in int8: relu (TFLite's converter has no 16x8 rule for RELU6 (its quantizable_int16"
                        + " is false)); float before the search: [log]",
                Int16Fallback.shortfall(
                        List.of(List.of(), List.of(1), List.of(1, 0)), List.of(0, 1), BASELINE, NAMES::get));
    }

    @Test
    void trialsRunningOutIsSaidAsSuch() {
        assertEquals(
                "; the trials ended with at most 1 of 2 int16-capable op(s) moved (raise --max-trials); left in int8: relu"
                        + " (TFLite's converter has no 16x8 rule for RELU6 (its quantizable_int16 is false)); float"
                        + " before the search: [log]",
                Int16Fallback.shortfall(List.of(List.of(), List.of(0)), List.of(0, 1), BASELINE, NAMES::get));
    }
}
