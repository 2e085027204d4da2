package io.quanta.kernels.int16;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.QuantizedActivation;

/** Preparation-time checks and parameters shared by the int16 (16x8) kernels. */
final class Int16 {
    private Int16() {}

    static final int MIN = Short.MIN_VALUE;
    static final int MAX = Short.MAX_VALUE;

    /** Fails unless the tensor is int16 with one scale and zero point 0, as TFLite's 16x8 kernels require. */
    static void requireInt16(OpContext ctx, Tensor t, String role) {
        if (t.type() != DataType.INT16) {
            throw ctx.fail(role + " '" + t.name() + "' is " + t.type() + ", expected INT16");
        }
        if (!t.isQuantized()) {
            throw ctx.fail(role + " '" + t.name() + "' has no quantization parameters");
        }
        if (t.quant().isPerChannel() || t.quant().zeroPoint(0) != 0) {
            throw ctx.fail(role + " '" + t.name() + "' must be quantized per tensor with zero point 0");
        }
    }

    static float scale(Tensor t) {
        return t.quant().scale(0);
    }

    /** The int16 output's clamp range for a fused activation (zero point 0). */
    static int[] activationRange(OpContext ctx, Activation activation, Tensor output) {
        try {
            return QuantizedActivation.range(activation, scale(output), 0, MIN, MAX);
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }

    static short clamp(int v, int lo, int hi) {
        return (short) Math.max(lo, Math.min(hi, v));
    }
}
