package io.quanta.pipeline;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Clipping;
import io.quanta.calibrate.TensorStats;
import io.quanta.quantize.Range;
import io.quanta.quantize.TensorRanges;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The range of every calibrated tensor under a method chosen per tensor: pure, computed once (entropy and MSE cost a
 * pass over the histogram each).
 */
final class RangeChoice {
    private RangeChoice() {}

    /** Every tensor's range under one method. */
    static Map<Integer, Range> all(CalibrationStats stats, CalibrationMethod method, double percentile) {
        Map<Integer, Range> out = new HashMap<>();
        for (TensorStats t : stats.tensors()) {
            if (t.count() > 0) {
                out.put(t.tensorIndex(), range(t, method, percentile));
            }
        }
        return out;
    }

    static Range range(TensorStats t, CalibrationMethod method, double percentile) {
        if (method == CalibrationMethod.MINMAX) {
            return new Range(t.min(), t.max()); // exactly what the converter's recipe takes
        }
        float[] r = Clipping.range(t, method, percentile);
        return new Range(r[0], r[1]);
    }

    /** Each tensor's range under its own method ({@code fallback} for tensors the map does not name). */
    static Map<Integer, Range> mixed(
            CalibrationStats stats,
            Map<Integer, CalibrationMethod> methods,
            CalibrationMethod fallback,
            double percentile) {
        Map<Integer, Range> out = new HashMap<>();
        for (TensorStats t : stats.tensors()) {
            if (t.count() > 0) {
                out.put(t.tensorIndex(), range(t, methods.getOrDefault(t.tensorIndex(), fallback), percentile));
            }
        }
        return out;
    }

    static TensorRanges of(Map<Integer, Range> ranges) {
        Map<Integer, Range> copy = new HashMap<>(ranges);
        return copy::get;
    }

    /** How many tensors took each method, by method label. */
    static Map<String, Integer> counts(Map<Integer, CalibrationMethod> methods) {
        Map<String, Integer> c = new TreeMap<>();
        methods.values().forEach(m -> c.merge(m.label(), 1, Integer::sum));
        return c;
    }
}
