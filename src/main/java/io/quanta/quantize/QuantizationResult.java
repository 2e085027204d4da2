package io.quanta.quantize;

import io.quanta.graph.Model;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quantized model and the record of what was done: per tensor (range, scales, zero point) and per op
 * (quantized or float fallback, with the reason).
 */
public record QuantizationResult(
        Model model, QuantizationOptions options, List<TensorReport> tensors, List<OpReport> ops) {

    public QuantizationResult {
        tensors = List.copyOf(tensors);
        ops = List.copyOf(ops);
    }

    /** Op coverage by op type name, sorted by name. */
    public Map<String, OpCoverage> coverage() {
        Map<String, OpCoverage> byType = new TreeMap<>();
        for (OpReport op : ops) {
            byType.merge(
                    op.opType(),
                    new OpCoverage(0, 0, 0).add(op.outcome()),
                    (a, b) -> new OpCoverage(
                            a.quantized() + b.quantized(),
                            a.floatFallback() + b.floatFallback(),
                            a.notFloat() + b.notFloat()));
        }
        return byType;
    }

    /** The report of the output tensor with this name, or null. */
    public TensorReport tensor(String name) {
        return tensors.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }
}
