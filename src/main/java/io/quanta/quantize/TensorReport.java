package io.quanta.quantize;

import io.quanta.graph.DataType;

/**
 * What the quantizer decided for one tensor of the output model.
 *
 * @param index       tensor index in the output model's main subgraph
 * @param sourceIndex index of the source model's tensor whose value this one carries (for float-vs-int8 comparisons)
 * @param role        what the tensor is to the ops using it
 * @param range       the calibrated (or, for constants, observed) float range; null when none applies
 * @param scales      one scale, or one per channel
 * @param zeroPoint   zero point (of channel 0 for per-channel tensors, which are all 0)
 * @param axis        the quantized dimension of per-channel tensors, else -1
 * @param channelScaleMin    smallest per-channel scale (equal to the scale for per-tensor)
 * @param channelScaleMedian median per-channel scale
 * @param channelScaleMax    largest per-channel scale
 */
public record TensorReport(
        int index,
        int sourceIndex,
        String name,
        Role role,
        DataType type,
        Range range,
        float[] scales,
        long zeroPoint,
        int axis,
        float channelScaleMin,
        float channelScaleMedian,
        float channelScaleMax) {

    public enum Role {
        ACTIVATION,
        WEIGHT,
        BIAS,
        CONSTANT
    }

    static TensorReport of(
            int index,
            int sourceIndex,
            String name,
            Role role,
            DataType type,
            Range range,
            float[] scales,
            long zeroPoint,
            int axis) {
        float[] sorted = scales.clone();
        java.util.Arrays.sort(sorted);
        float median = sorted.length == 0
                ? Float.NaN
                : sorted.length % 2 == 1
                        ? sorted[sorted.length / 2]
                        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2f;
        return new TensorReport(
                index,
                sourceIndex,
                name,
                role,
                type,
                range,
                scales.clone(),
                zeroPoint,
                scales.length > 1 ? axis : -1,
                sorted.length == 0 ? Float.NaN : sorted[0],
                median,
                sorted.length == 0 ? Float.NaN : sorted[sorted.length - 1]);
    }
}
