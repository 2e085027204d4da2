package io.quanta.kernels.hybrid;

import io.quanta.graph.OpOptions;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.TensorValue;

/**
 * FULLY_CONNECTED with float input and int8 weights, as TFLite's hybrid kernel: each input row is
 * quantized on the fly (symmetric, or asymmetric when asymmetric_quantize_inputs is set), the integer dot
 * product is exact, and out = bias + float(dot - rowSum * zp) * (inputScale * weightScale), with the
 * weight scale per output unit when the weights are per-channel.
 */
public final class HybridFullyConnected implements Kernel {
    private final int units;
    private final int inSize;
    private final boolean keepNumDims;
    private final boolean asymmetric;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final int[] packed;
    private final int[] rowSums;
    private final float[] channelScales;
    private final float weightScale;
    private final String opName;
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] dims = new int[8];
    private final int[] zeroPoint = new int[1];
    private final int[] acc;
    private int[] quantized;

    /** Called by the float FULLY_CONNECTED factory when the weights are int8, after its shape checks. */
    public static Kernel create(OpContext ctx, OpOptions.FullyConnected o, float lo, float hi) {
        return new HybridFullyConnected(ctx, o, lo, hi);
    }

    private HybridFullyConnected(OpContext ctx, OpOptions.FullyConnected o, float lo, float hi) {
        Tensor weights = ctx.input(1);
        if (!weights.isConstant() || !weights.isQuantized()) {
            throw ctx.fail("int8 weights '" + weights.name() + "' must be a constant with quantization scales");
        }
        QuantParams q = weights.quant();
        this.units = weights.dim(0);
        this.inSize = weights.dim(1);
        if (q.isPerChannel() && q.scale().length != units) {
            throw ctx.fail("weights '" + weights.name() + "' have " + q.scale().length + " scales, expected " + units);
        }
        this.keepNumDims = o.keepNumDims();
        this.asymmetric = o.asymmetricQuantizeInputs();
        this.hasBias = ctx.hasInput(2);
        this.lo = lo;
        this.hi = hi;
        this.packed = HybridQuantizer.packTransposed(weights.data(), units, inSize);
        this.rowSums = HybridQuantizer.rowSums(weights.data(), units, inSize);
        this.channelScales = q.isPerChannel() ? q.scale().clone() : null;
        this.weightScale = q.scale(0);
        this.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
        this.acc = new int[units];
        this.quantized = new int[inSize];
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        out[0].resize(shape.ofFullyConnected(input, inSize, units, keepNumDims, dims, opName));
        int batch = input.size() / inSize;
        float[] x = input.f;
        float[] o = out[0].f;
        float[] bias = hasBias ? in[2].f : null;
        for (int b = 0; b < batch; b++) {
            int rowOff = b * inSize;
            float scale;
            int zero = 0;
            if (asymmetric) {
                scale = HybridQuantizer.asymmetric(x, rowOff, inSize, quantized, 0, zeroPoint);
                zero = zeroPoint[0];
            } else {
                scale = HybridQuantizer.symmetric(x, rowOff, inSize, quantized, 0);
            }
            if (channelScales == null) {
                scale *= weightScale;
            }
            java.util.Arrays.fill(acc, 0);
            for (int k = 0; k < inSize; k++) {
                int v = quantized[k];
                int wk = k * units;
                for (int u = 0; u < units; u++) {
                    acc[u] += v * packed[wk + u];
                }
            }
            int base = b * units;
            for (int u = 0; u < units; u++) {
                int dot = asymmetric ? (int) (acc[u] - (float) rowSums[u] * zero) : acc[u];
                float s = channelScales != null ? scale * channelScales[u] : scale;
                float v = (bias != null ? bias[u] : 0f) + dot * s;
                o[base + u] = Math.min(Math.max(v, lo), hi);
            }
        }
    }
}
