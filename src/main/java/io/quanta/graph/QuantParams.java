package io.quanta.graph;

import java.util.Arrays;

/**
 * Affine quantization of a tensor: real = scale * (q - zeroPoint). One scale per tensor, or one per slice
 * along {@code quantizedDimension} (per-channel). {@code min}/{@code max} are the optional recorded float
 * range some converters store; they are kept so a round trip loses nothing.
 */
public record QuantParams(float[] scale, long[] zeroPoint, int quantizedDimension, float[] min, float[] max) {

    public QuantParams {
        scale = scale == null ? new float[0] : scale;
        zeroPoint = zeroPoint == null ? new long[0] : zeroPoint;
        min = min == null ? new float[0] : min;
        max = max == null ? new float[0] : max;
    }

    public static QuantParams perTensor(float scale, long zeroPoint) {
        return new QuantParams(new float[] {scale}, new long[] {zeroPoint}, 0, null, null);
    }

    public static QuantParams perChannel(float[] scales, int quantizedDimension) {
        return new QuantParams(scales, new long[scales.length], quantizedDimension, null, null);
    }

    public boolean isPerChannel() {
        return scale.length > 1;
    }

    /** True when there is no scale, i.e. the tensor is not quantized (a converter may still store min/max). */
    public boolean isEmpty() {
        return scale.length == 0;
    }

    public float scale(int channel) {
        return scale[scale.length == 1 ? 0 : channel];
    }

    public long zeroPoint(int channel) {
        return zeroPoint.length == 0 ? 0 : zeroPoint[zeroPoint.length == 1 ? 0 : channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantParams q
                && Arrays.equals(scale, q.scale)
                && Arrays.equals(zeroPoint, q.zeroPoint)
                && quantizedDimension == q.quantizedDimension
                && Arrays.equals(min, q.min)
                && Arrays.equals(max, q.max);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scale) * 31 + Arrays.hashCode(zeroPoint);
    }

    @Override
    public String toString() {
        return "QuantParams[scale=" + Arrays.toString(scale) + ", zeroPoint=" + Arrays.toString(zeroPoint) + ", axis="
                + quantizedDimension + "]";
    }
}
