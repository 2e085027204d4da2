package io.quanta.kernels.int16;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * SOFTMAX on int16 over the last axis, as TFLite's SoftmaxInt16: differences to the row maximum rescaled so that
 * [-10, 0] spans the int16 range, exp by table, the sum's reciprocal by a 1/(1+x) table after normalising it, and
 * the output in [0, 1) with scale 2^-15.
 */
final class Softmax implements Kernel {
    private static final short[] EXP = Lut.generate(Math::exp, -10.0, 0.0, -1.0, 1.0);
    private static final short[] ONE_OVER_ONE_PLUS_X = Lut.generate(x -> 1.0 / (1.0 + x), 0.0, 1.0, -1.0, 1.0);

    private final int multiplier;
    private final int shift;
    private int[] exps = new int[0];

    static Kernel create(OpContext ctx) {
        return new Softmax(ctx);
    }

    private Softmax(OpContext ctx) {
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        Int16.requireInt16(ctx, input, "input");
        Int16.requireInt16(ctx, output, "output");
        float beta = ctx.options(OpOptions.Softmax.class).beta();
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(Int16.scale(input) * beta / (10.0 / 65535.0));
        multiplier = m.multiplier();
        shift = m.shift();
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        out[0].resize(input.shape());
        int depth = input.dim(input.rank() - 1);
        int rows = depth == 0 ? 0 : input.size() / depth;
        if (exps.length < depth) exps = new int[depth];
        short[] x = input.s;
        short[] y = out[0].s;
        for (int r = 0; r < rows; r++) {
            int base = r * depth;
            int max = Short.MIN_VALUE;
            for (int j = 0; j < depth; j++) max = Math.max(max, x[base + j]);
            int sum = 0;
            for (int j = 0; j < depth; j++) {
                int scaled = FixedPoint.multiplyByQuantizedMultiplier(x[base + j] - max, multiplier, shift);
                int centred = Math.max(-32768, Math.min(32767, scaled + 32767));
                exps[j] = Lut.lookup(centred, EXP);
                sum += exps[j];
            }
            int headroomPlusOne = Integer.numberOfLeadingZeros(sum);
            int shiftedSum = (int) ((((long) sum << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
            int centredSum = Math.max(-32768, Math.min(32767, shiftedSum - ((1 << 15) + (1 << 16))));
            int reciprocal = Lut.lookup(centredSum, ONE_OVER_ONE_PLUS_X);
            int rightShift = 31 - headroomPlusOne;
            long round = 1L << (rightShift - 1);
            for (int j = 0; j < depth; j++) {
                int v = (int) (((long) exps[j] * reciprocal + round) >> rightShift);
                y[base + j] = (short) Math.max(0, Math.min(32767, v));
            }
        }
    }
}
