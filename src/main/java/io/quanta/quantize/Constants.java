package io.quanta.quantize;

import io.quanta.graph.ChannelAxis;
import io.quanta.graph.DataType;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.FixedPoint;

/** Reads constant tensors as float values, whatever they are stored as. */
final class Constants {
    private Constants() {}

    /** True when the tensor is a constant the quantizer can read as floats (float32, float16 or quantized int8). */
    static boolean readableAsFloats(Tensor t) {
        if (!t.isConstant()) {
            return false;
        }
        return t.type() == DataType.FLOAT32
                || t.type() == DataType.FLOAT16
                || ((t.type() == DataType.INT8 || t.type() == DataType.UINT8) && t.isQuantized());
    }

    /** The float values of a constant; quantized int8/uint8 constants (hybrid weights) are dequantized. */
    static float[] floats(Tensor t) {
        return switch (t.type()) {
            case FLOAT32 -> TensorData.floats(t.data());
            case FLOAT16 -> TensorData.halfFloats(t.data());
            case INT8, UINT8 -> dequantize(t);
            default ->
                throw new ModelInvalidException("tensor '" + t.name() + "' is " + t.type() + ", not a float constant");
        };
    }

    /** The values of a constant about to get an integer form, which a NaN or an infinity would make meaningless. */
    static float[] finiteFloats(Tensor t) {
        return requireFinite(t, floats(t));
    }

    static float[] requireFinite(Tensor t, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new ModelInvalidException("constant tensor '" + t.name() + "' holds " + values[i] + " at element "
                        + i + ": it has no integer form; replace the value in the model or keep its op float");
            }
        }
        return values;
    }

    private static float[] dequantize(Tensor t) {
        byte[] d = t.data();
        QuantParams q = t.quant();
        int[] shape = t.shape();
        int axis = q.isPerChannel() ? q.quantizedDimension() : -1;
        ChannelAxis channels = ChannelAxis.of(shape, axis);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            int channel = channels.channelOf(i);
            int v = t.type() == DataType.INT8 ? d[i] : d[i] & 0xff;
            out[i] = (float) ((v - q.zeroPoint(channel)) * (double) q.scale(channel));
        }
        return out;
    }

    /** Asymmetric int8 values for a constant with these per-tensor parameters. */
    static byte[] quantizeAsymmetric(float[] values, QuantParams p) {
        float scale = p.scale()[0];
        long zp = p.zeroPoint(0);
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            double q = FixedPoint.roundHalfAwayFromZero(values[i] / (double) scale) + zp;
            out[i] = (byte) Math.max(-128, Math.min(127, q));
        }
        return out;
    }

    /** Symmetric int16 values (zero point 0) for a constant with this per-tensor scale. */
    static short[] quantizeInt16(float[] values, QuantParams p) {
        float scale = p.scale()[0];
        short[] out = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            double q = FixedPoint.roundHalfAwayFromZero(values[i] / (double) scale);
            out[i] = (short) Math.max(-32767, Math.min(32767, q));
        }
        return out;
    }
}
