package io.quanta.kernels.int8;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.QuantizedActivation;

/** Reading a tensor's quantization at preparation time, and TFLite's quantized activation range. */
final class Quant {
    private Quant() {}

    /** Per-tensor scale of a quantized tensor (fails with the op's name when there is none). */
    static float scale(OpContext ctx, Tensor t) {
        if (!t.isQuantized()) {
            throw ctx.fail("tensor '" + t.name() + "' has no quantization parameters");
        }
        return t.quant().scale(0);
    }

    static int zeroPoint(Tensor t) {
        return t.isQuantized() ? (int) t.quant().zeroPoint(0) : 0;
    }

    /** Fails unless the tensor is int8. */
    static void requireInt8(OpContext ctx, Tensor t, String role) {
        if (t.type() != DataType.INT8) {
            throw ctx.fail(role + " '" + t.name() + "' is " + t.type() + ", expected INT8");
        }
    }

    /** Fails unless the first input and the output are int8 (the one-input ops). */
    static void requireInt8InputAndOutput(OpContext ctx) {
        requireInt8(ctx, ctx.input(0), "input");
        requireInt8(ctx, ctx.output(0), "output");
    }

    /** Fails unless the first input is 4-D (NHWC images for pooling and resizing). */
    static void requireNhwcInput(OpContext ctx) {
        if (ctx.input(0).rank() != 4) {
            throw ctx.fail("expects a 4-D input, found " + ctx.input(0).rank() + "-D");
        }
    }

    /** Fails unless the tensor holds one scale and zero point. */
    static void requirePerTensor(OpContext ctx, Tensor t, String role) {
        if (t.isQuantized() && t.quant().isPerChannel()) {
            throw ctx.fail(role + " '" + t.name() + "' must be quantized per tensor, found "
                    + t.quant().scale().length + " scales");
        }
    }

    /** TFLite's CalculateActivationRangeQuantized for an int8 output (the shared {@link QuantizedActivation}). */
    static int[] activationRange(Activation activation, float scale, int zeroPoint) {
        return QuantizedActivation.range(activation, scale, zeroPoint, -128, 127);
    }

    static int[] activationRange(OpContext ctx, Activation activation, Tensor output) {
        try {
            return activationRange(activation, scale(ctx, output), zeroPoint(output));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage());
        }
    }
}
