package io.quanta.eval;

import io.quanta.graph.ChannelAxis;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.TensorValue;

/** Real values of a quantized run-time value: real = scale · (q − zero point), per tensor or per channel. */
public final class Dequantize {
    private Dequantize() {}

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
