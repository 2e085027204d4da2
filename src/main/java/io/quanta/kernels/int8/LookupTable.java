package io.quanta.kernels.int8;

import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntUnaryOperator;

/**
 * An int8 -> int8 function tabulated once for all 256 inputs. Every one-input int8 activation whose result
 * depends on the input byte alone (RELU family, LEAKY_RELU, HARD_SWISH, LOGISTIC, TANH) runs as one table
 * lookup per element.
 */
final class LookupTable implements Kernel {
    private final byte[] table = new byte[256]; // indexed by the input byte + 128

    /** Tabulates {@code function}, which maps an input byte (-128..127) to its output byte. */
    LookupTable(IntUnaryOperator function) {
        for (int q = -128; q <= 127; q++) {
            table[q + 128] = (byte) function.applyAsInt(q);
        }
    }

    /**
     * The way TFLite's optimized kernels tabulate LOGISTIC, TANH and friends: dequantize in float, apply the
     * function, divide by the output scale (as a multiplication by its float reciprocal), round half away
     * from zero, add the zero point, clamp.
     */
    static LookupTable ofFloatFunction(OpContext ctx, DoubleUnaryOperator function) {
        Quant.requireInt8InputAndOutput(ctx);
        float inputScale = Quant.scale(ctx, ctx.input(0));
        int inputZeroPoint = Quant.zeroPoint(ctx.input(0));
        float inverseOutputScale = 1f / Quant.scale(ctx, ctx.output(0));
        int outputZeroPoint = Quant.zeroPoint(ctx.output(0));
        return new LookupTable(q -> {
            float dequantized = inputScale * (q - inputZeroPoint);
            float transformed = (float) function.applyAsDouble(dequantized);
            float rescaled = FixedPoint.roundHalfAwayFromZero(transformed * inverseOutputScale);
            int quantized = (int) (rescaled + outputZeroPoint);
            return FixedPoint.saturateInt8(quantized);
        });
    }

    static Kernel logistic(OpContext ctx) {
        return ofFloatFunction(ctx, x -> 1.0f / (1.0f + (float) Math.exp(-(float) x)));
    }

    static Kernel tanh(OpContext ctx) {
        return ofFloatFunction(ctx, x -> (float) Math.tanh((float) x));
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        Values.sameShape(input, out[0]);
        byte[] x = input.b;
        byte[] y = out[0].b;
        int n = input.size();
        for (int k = 0; k < n; k++) {
            y[k] = table[x[k] + 128];
        }
    }
}
