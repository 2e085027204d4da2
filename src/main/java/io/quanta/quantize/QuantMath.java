package io.quanta.quantize;

import io.quanta.graph.ChannelAxis;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.FixedPoint;

/**
 * The arithmetic of the TFLite int8 scheme, with the TensorFlow converter's float32 rounding so that our
 * scales, zero points and quantized constants match its output.
 */
public final class QuantMath {
    private QuantMath() {}

    /** Ranges narrower than this are widened, so that scales stay sane (the converter's kNearZeroTolerance). */
    static final double NEAR_ZERO = 1.0e-6;
    /** Largest magnitude a quantized bias may take, leaving room in the int32 accumulator. */
    static final int BIAS_MAX = Integer.MAX_VALUE / 2;

    static final int WEIGHT_MAX = 127;

    /**
     * Per-tensor asymmetric int8 parameters for an activation range: the range is widened to contain 0 (and to
     * at least 2e-6 when it is empty), scale = (max - min) / 255 in float32, and the zero point is
     * -128 - min/scale, rounded and clamped to [-128, 127].
     */
    public static QuantParams activationParams(double min, double max) {
        double lo = Math.min(min, 0.0);
        double hi = Math.max(max, 0.0);
        if (Math.abs(hi - lo) < NEAR_ZERO) {
            lo -= NEAR_ZERO;
            hi += NEAR_ZERO;
        }
        float scale = ((float) hi - (float) lo) / 255f;
        float zeroPointFromMin = (float) (-128 - lo / scale);
        long zeroPoint;
        if (zeroPointFromMin < -128f) {
            zeroPoint = -128;
        } else if (zeroPointFromMin > 127f) {
            zeroPoint = 127;
        } else {
            zeroPoint = (long) FixedPoint.roundHalfAwayFromZero(zeroPointFromMin);
        }
        return QuantParams.perTensor(scale, zeroPoint);
    }

    public static QuantParams activationParams(Range range) {
        return activationParams(range.min(), range.max());
    }

    /**
     * 16x8 activation parameters for a range: symmetric, zero point 0, scale = max(|min|, |max|) / 32767 in float32
     * (the converter's int16 activation rule); an empty range is widened as for int8.
     */
    public static QuantParams int16ActivationParams(Range range) {
        double m = Math.max(Math.abs(Math.min(range.min(), 0.0)), Math.max(range.max(), 0.0));
        if (2 * m < NEAR_ZERO) {
            m = NEAR_ZERO;
        }
        return QuantParams.perTensor((float) m / 32767f, 0);
    }

    /** Activation parameters of the given integer type (INT8 asymmetric, INT16 symmetric). */
    public static QuantParams activationParams(Range range, io.quanta.graph.DataType type) {
        return type == io.quanta.graph.DataType.INT16 ? int16ActivationParams(range) : activationParams(range);
    }

    /** int64 bias of a 16x8 op: round(b / scale) with a double inverse scale, kept within +-2^40 (TFLite's int64 accumulator asserts |acc| < 2^47). */
    public static long[] quantizeBias64(float[] bias, float[] scales) {
        long[] out = new long[bias.length];
        long limit = 1L << 40;
        for (int i = 0; i < bias.length; i++) {
            float s = scales[scales.length == 1 ? 0 : i];
            double q = s == 0 ? 0 : FixedPoint.roundHalfAwayFromZero(bias[i] / (double) s);
            out[i] = (long) Math.max(-limit, Math.min(limit, q));
        }
        return out;
    }

    /** The same scale with the zero point moved by +128: the uint8 view of an int8 tensor. */
    public static QuantParams toUint8(QuantParams int8) {
        return QuantParams.perTensor(int8.scale()[0], int8.zeroPoint(0) + 128);
    }

    /** The float range an int8 tensor with these parameters can represent. */
    public static Range representableRange(QuantParams p) {
        float s = p.scale()[0];
        long zp = p.zeroPoint(0);
        return new Range((float) ((-128 - zp) * (double) s), (float) ((127 - zp) * (double) s));
    }

    /** The float range a tensor of this integer type with these parameters can represent. */
    public static Range representableRange(QuantParams p, io.quanta.graph.DataType type) {
        if (type != io.quanta.graph.DataType.INT16) return representableRange(p);
        float s = p.scale()[0];
        long zp = p.zeroPoint(0);
        return new Range((float) ((-32768 - zp) * (double) s), (float) ((32767 - zp) * (double) s));
    }

    /**
     * Symmetric scale for weights whose largest magnitude is {@code maxAbs}: maxAbs/127, computed as
     * (max - min)/254 in float32 like the converter; an all-zero slice gets the tiny scale of a 1e-6 wide range.
     */
    public static float symmetricScale(double maxAbs) {
        double hi = maxAbs;
        if (2 * hi <= NEAR_ZERO) {
            hi = Math.max(hi, NEAR_ZERO / 2);
        }
        return ((float) hi - (float) -hi) / 254f;
    }

    /** Quantizes one value with a float32 inverse scale, as the converter does, clamped to [-127, 127]. */
    static byte quantizeWeight(float value, float inverseScale) {
        double q = FixedPoint.roundHalfAwayFromZero(value * inverseScale);
        return (byte) Math.max(-WEIGHT_MAX, Math.min(WEIGHT_MAX, q));
    }

    /**
     * Symmetric int8 weights, per channel along {@code axis} (or per tensor when axis is -1), with the given
     * scales (one per channel, or one).
     */
    public static byte[] quantizeWeights(float[] values, int[] shape, int axis, float[] scales) {
        byte[] out = new byte[values.length];
        float[] inverse = new float[scales.length];
        for (int c = 0; c < scales.length; c++) {
            inverse[c] = scales[c] == 0 ? 0f : (float) (1.0 / scales[c]);
        }
        if (axis < 0) {
            for (int i = 0; i < values.length; i++) {
                out[i] = quantizeWeight(values[i], inverse[0]);
            }
            return out;
        }
        ChannelAxis channels = ChannelAxis.of(shape, axis);
        for (int i = 0; i < values.length; i++) {
            out[i] = quantizeWeight(values[i], inverse[channels.channelOf(i)]);
        }
        return out;
    }

    /** Largest |w| per channel along {@code axis}, or over the whole tensor when axis is -1. */
    public static double[] maxAbs(float[] values, int[] shape, int axis) {
        if (axis < 0) {
            double m = 0;
            for (float v : values) {
                m = Math.max(m, Math.abs(v));
            }
            return new double[] {m};
        }
        ChannelAxis channels = ChannelAxis.of(shape, axis);
        double[] m = new double[channels.channels()];
        for (int i = 0; i < values.length; i++) {
            int channel = channels.channelOf(i);
            m[channel] = Math.max(m[channel], Math.abs(values[i]));
        }
        return m;
    }

    /** int32 bias: round(b / scale) with a float32 inverse scale, clamped to +-INT32_MAX. */
    public static int[] quantizeBias(float[] bias, float[] scales) {
        int[] out = new int[bias.length];
        for (int i = 0; i < bias.length; i++) {
            float s = scales[scales.length == 1 ? 0 : i];
            float inverse = s == 0 ? 0f : (float) (1.0 / s);
            double q = FixedPoint.roundHalfAwayFromZero(bias[i] * inverse);
            out[i] = (int) Math.max(-Integer.MAX_VALUE, Math.min(Integer.MAX_VALUE, q));
        }
        return out;
    }

    /** Bias scale = input scale x weight scale, computed in double and stored as float (legacy float scale). */
    public static float biasScale(float inputScale, float weightScale) {
        return (float) ((double) inputScale * (double) weightScale);
    }
}
