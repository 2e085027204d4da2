package io.quanta.pipeline;

import io.quanta.graph.DataType;
import io.quanta.quantize.OpReport;
import io.quanta.quantize.QuantizableOps;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What a failed {@code --fallback int16} search says on top of its best trial: whether int16 itself fell short
 * (every op TFLite 2.21 runs in 16x8 was moved and the budget still fails) or the trials ran out, which int8 ops
 * could not be moved and why, and which ops the baseline already ran in float. The search never moves an op to
 * float on its own when asked for int16.
 */
final class Int16Fallback {
    private Int16Fallback() {}

    /**
     * @param tried      the int16 op sets the search's candidate trials ran (sensitivity probes left out)
     * @param searchable int8 ops of the baseline that TFLite 2.21 runs in 16x8 (the search's candidates)
     * @param baseline   the baseline's op reports
     * @param names      an op's name by index
     */
    static String shortfall(
            List<List<Integer>> tried, List<Integer> searchable, List<OpReport> baseline, IntFunction<String> names) {
        StringBuilder s = new StringBuilder();
        int most = tried.stream().mapToInt(List::size).max().orElse(0);
        if (!searchable.isEmpty() && tried.stream().anyMatch(t -> t.containsAll(searchable))) {
            s.append("; int16 is not enough: with every op TFLite 2.21 runs in 16x8 moved, the budget still fails, as")
                    .append(" int16's 65 536 steps at zero point 0 do not hold these values (more than 4.5 decades")
                    .append(" between the smallest value that matters and the largest); --fallback float keeps ops")
                    .append(" float instead");
        } else {
            s.append("; the trials ended with at most ")
                    .append(most)
                    .append(" of ")
                    .append(searchable.size())
                    .append(" int16-capable op(s) moved (raise --max-trials)");
        }
        List<String> stuck = baseline.stream()
                .filter(o -> o.outcome() == OpReport.Outcome.QUANTIZED && o.activations() == DataType.INT8)
                .filter(o -> !searchable.contains(o.index()))
                .map(o -> names.apply(o.index()) + " (" + QuantizableOps.whyNotInt16(o.opType()) + ")")
                .toList();
        if (!stuck.isEmpty()) {
            s.append("; left in int8: ").append(String.join(", ", stuck));
        }
        List<String> floats = baseline.stream()
                .filter(o -> o.outcome() == OpReport.Outcome.FLOAT_FALLBACK)
                .map(o -> names.apply(o.index()))
                .toList();
        if (!floats.isEmpty()) {
            s.append("; float before the search: ").append(floats);
        }
        return s.toString();
    }
}
