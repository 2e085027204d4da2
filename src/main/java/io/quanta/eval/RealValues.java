package io.quanta.eval;

import io.quanta.graph.ChannelAxis;
import io.quanta.graph.DataType;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.TensorValue;

/** Real values of a quantized run-time value: real = scale · (q − zero point), per tensor or per channel. */
public final class RealValues {
    private RealValues() {}

    /**
     * Writes the real values of {@code v} into {@code into} (at least {@code v.size()} long) and returns it. A
     * float value is copied; an integer value without quantization is taken as it is.
     */
    public static float[] into(TensorValue v, QuantParams q, float[] into) {
        int n = v.size();
        if (q == null || q.isEmpty()) {
            for (int k = 0; k < n; k++) {
                into[k] = (float) v.getAsDouble(k);
            }
            return into;
        }
        if (!q.isPerChannel()) {
            double scale = q.scale(0);
            long zp = q.zeroPoint(0);
            if (v.type == DataType.INT8 || v.type == DataType.UINT8) {
                // Every layer of every evaluated sample comes through here: 256 values at most, so each is computed
                // once (by the same formula, hence the same floats) and the elements are looked up.
                float[] real = new float[256];
                for (int u = 0; u < 256; u++) {
                    int stored = v.type == DataType.INT8 ? (byte) u : u;
                    real[u] = (float) (scale * ((double) stored - zp));
                }
                byte[] b = v.b;
                for (int k = 0; k < n; k++) {
                    into[k] = real[b[k] & 0xff];
                }
                return into;
            }
            for (int k = 0; k < n; k++) {
                into[k] = (float) (scale * (v.getAsDouble(k) - zp));
            }
            return into;
        }
        // Per channel: the channel of element k is its coordinate along the quantized dimension.
        int axis = q.quantizedDimension();
        ChannelAxis channels = ChannelAxis.of(v.shape(), axis);
        for (int k = 0; k < n; k++) {
            int c = channels.channelOf(k);
            into[k] = (float) (q.scale(c) * (v.getAsDouble(k) - q.zeroPoint(c)));
        }
        return into;
    }
}
