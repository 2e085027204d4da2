package io.quanta.quantize;

import java.util.Map;

/**
 * The float range of each activation tensor of the main subgraph, by tensor index. The calibration stage
 * records them; the quantizer only reads them through this interface.
 */
@FunctionalInterface
public interface TensorRanges {

    /** The recorded range of tensor {@code tensorIndex} of the main subgraph, or null when none was recorded. */
    Range rangeOf(int tensorIndex);

    static TensorRanges of(Map<Integer, Range> ranges) {
        Map<Integer, Range> copy = Map.copyOf(ranges);
        return copy::get;
    }

    /** No ranges at all: enough for the weight-only modes. */
    static TensorRanges none() {
        return index -> null;
    }
}
