package io.quanta.kernels.int8;

import io.quanta.graph.Activation;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.OpContext;

/**
 * What CONV_2D and DEPTHWISE_CONV_2D share at preparation: the checks on input, filter and output, and the
 * per-channel requantization of the int32 accumulators (bias, multipliers and shifts, offsets, activation
 * range), whole rows of it in SIMD lanes where the hardware allows ({@link RowRequant}).
 */
record ConvQuant(
        int[] bias,
        int[] multipliers,
        int[] shifts,
        int inputOffset,
        int outputOffset,
        int actMin,
        int actMax,
        RowRequant rows) {

    /** Fails unless input, filter and output are int8, the filter is constant and both are 4-D. */
    static void check(OpContext ctx) {
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        Quant.requireInt8(ctx, input, "input");
        Quant.requireInt8(ctx, filter, "filter");
        Quant.requireInt8(ctx, ctx.output(0), "output");
        if (!filter.isConstant()) {
            throw ctx.fail("filter '" + filter.name() + "' must be a constant");
        }
        if (input.rank() != 4 || filter.rank() != 4) {
            throw ctx.fail("expects a 4-D input and filter, found " + input.rank() + "-D and " + filter.rank() + "-D");
        }
    }

    static ConvQuant of(OpContext ctx, Activation activation, int outChannels) {
        Tensor input = ctx.input(0);
        Tensor output = ctx.output(0);
        int[] bias = Weights.bias(ctx, 2, outChannels);
        Weights.Requant r = Weights.perChannelMultipliers(ctx, input, ctx.input(1), output, outChannels);
        int[] range = Quant.activationRange(ctx, activation, output);
        return new ConvQuant(
                bias,
                r.multipliers(),
                r.shifts(),
                -Quant.zeroPoint(input),
                Quant.zeroPoint(output),
                range[0],
                range[1],
                RowRequant.create(bias, r.multipliers(), r.shifts(), Quant.zeroPoint(output), range[0], range[1]));
    }

    /**
     * The same requantization for sums of raw inputs: the input offset times each channel's weight sum
     * ({@code w[c * depth + k]}) folded into the bias, since {@code sum (x + offset) * w = sum x * w + offset * sum w}.
     */
    ConvQuant withInputOffsetFolded(int[] w, int depth) {
        int[] folded = bias.clone();
        for (int c = 0; c < folded.length; c++) {
            int sum = 0;
            for (int k = 0; k < depth; k++) {
                sum += w[c * depth + k];
            }
            folded[c] += inputOffset * sum;
        }
        return withBias(folded);
    }

    /** The same requantization with another int32 bias per channel (e.g. one with the input offset folded in). */
    ConvQuant withBias(int[] newBias) {
        return new ConvQuant(
                newBias,
                multipliers,
                shifts,
                inputOffset,
                outputOffset,
                actMin,
                actMax,
                RowRequant.create(newBias, multipliers, shifts, outputOffset, actMin, actMax));
    }

    /**
     * Requantizes one output pixel: each channel's int32 accumulator (bias included) scaled by its multiplier,
     * offset, clamped to the activation range and stored at {@code y[o]} onwards; returns the next offset.
     * {@code ruyRounding} picks the rounding of TFLite's CONV_2D (ruy) path over the reference one.
     */
    int store(int[] acc, byte[] y, int o, boolean ruyRounding) {
        int n = multipliers.length;
        for (int c = 0; c < n; c++) {
            int scaled = ruyRounding
                    ? FixedPoint.multiplyByQuantizedMultiplierRuy(acc[c], multipliers[c], shifts[c])
                    : FixedPoint.multiplyByQuantizedMultiplier(acc[c], multipliers[c], shifts[c]);
            y[o + c] = (byte) Math.max(actMin, Math.min(actMax, scaled + outputOffset));
        }
        return o + n;
    }

    /**
     * Requantizes {@code pixels} output pixels of int32 sums without the bias ({@code acc[p * channels + c]}):
     * adds each channel's bias, scales, offsets, clamps and stores them at {@code y[o]} onwards.
     */
    void storeRows(int[] acc, int pixels, byte[] y, int o, boolean ruyRounding) {
        int done = rows.store(acc, pixels, y, o, ruyRounding);
        storeRowsScalar(acc, pixels, y, o, ruyRounding, done);
    }

    /**
     * {@link #storeRows} from the tiles' float sums {@code sums[p * stride + c]}: started from {@link
     * ExactGemm#MAGIC} when {@code magic} (read from their bits), else converted into {@code acc} first.
     */
    void storeTileRows(
            float[] sums, int pixels, int stride, boolean magic, int[] acc, byte[] y, int o, boolean ruyRounding) {
        if (!magic) {
            ExactGemm.toIntRows(sums, pixels, multipliers.length, stride, acc);
            storeRows(acc, pixels, y, o, ruyRounding);
            return;
        }
        int n = multipliers.length;
        int done = rows.storeMagic(sums, pixels, stride, y, o, ruyRounding);
        if (done >= n) {
            return;
        }
        for (int p = 0; p < pixels; p++) {
            for (int c = done, i = p * n + done; c < n; c++, i++) {
                int sum = Float.floatToRawIntBits(sums[p * stride + c]) - ExactGemm.MAGIC_BITS + bias[c];
                int scaled = ruyRounding
                        ? FixedPoint.multiplyByQuantizedMultiplierRuy(sum, multipliers[c], shifts[c])
                        : FixedPoint.multiplyByQuantizedMultiplier(sum, multipliers[c], shifts[c]);
                y[o + i] = (byte) Math.max(actMin, Math.min(actMax, scaled + outputOffset));
            }
        }
    }

    /** The channels from {@code fromChannel} on of {@link #storeRows}, in scalar code. */
    void storeRowsScalar(int[] acc, int pixels, byte[] y, int o, boolean ruyRounding, int fromChannel) {
        int n = multipliers.length;
        if (fromChannel >= n) {
            return;
        }
        for (int p = 0; p < pixels; p++) {
            for (int c = fromChannel, i = p * n + fromChannel; c < n; c++, i++) {
                int sum = acc[i] + bias[c];
                int scaled = ruyRounding
                        ? FixedPoint.multiplyByQuantizedMultiplierRuy(sum, multipliers[c], shifts[c])
                        : FixedPoint.multiplyByQuantizedMultiplier(sum, multipliers[c], shifts[c]);
                y[o + i] = (byte) Math.max(actMin, Math.min(actMax, scaled + outputOffset));
            }
        }
    }
}
