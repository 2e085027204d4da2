package io.quanta.kernels.int8;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatLoops;

/**
 * FULLY_CONNECTED, int8 with per-tensor or per-channel weights and int32 bias. The input offset's
 * contribution (input offset times each weight row's sum) is folded into the bias once, so what remains is a
 * plain int8 matrix product over all batch rows at once, done exactly in float lanes: as a 1x1 convolution in
 * {@link ConvTiles} when the depth allows, else on the float loops ({@link ExactGemm}).
 */
final class FullyConnected implements Kernel {
    private final int units;
    private final int depth;
    private final boolean keepNumDims;
    private final ExactGemm gemm; // weights [units][depth], filter offset already added
    private final int[] base; // bias + input offset * row sum
    private final int[] multipliers;
    private final int[] shifts;
    private final int outputOffset;
    private final int actMin;
    private final int actMax;
    private final RowRequant rows;
    private final ConvTiles tiles;
    private int[] outShape = new int[0];
    private float[] inputs = new float[0];
    private float[] scratch = new float[0];
    private int[] acc = new int[0];

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.best());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        return new FullyConnected(ctx, loops);
    }

    private FullyConnected(OpContext ctx, FloatLoops loops) {
        OpOptions.FullyConnected options = ctx.options(OpOptions.FullyConnected.class);
        Tensor input = ctx.input(0);
        Tensor filter = ctx.input(1);
        Tensor output = ctx.output(0);
        Quant.requireInt8(ctx, input, "input");
        Quant.requireInt8(ctx, filter, "weights");
        Quant.requireInt8(ctx, output, "output");
        if (options.weightsFormat() != 0) {
            throw ctx.fail("shuffled weights format " + options.weightsFormat() + " is not supported");
        }
        if (!filter.isConstant() || filter.rank() != 2) {
            throw ctx.fail("weights '" + filter.name() + "' must be a constant 2-D tensor");
        }
        units = filter.dim(0);
        depth = filter.dim(1);
        keepNumDims = options.keepNumDims();
        int filterOffset = filter.quant() != null && !filter.quant().isPerChannel() ? -Quant.zeroPoint(filter) : 0;
        int inputOffset = -Quant.zeroPoint(input);
        int[] weights = Weights.widen(filter.data());
        int[] bias = Weights.bias(ctx, 2, units);
        base = new int[units];
        for (int u = 0; u < units; u++) {
            int rowSum = 0;
            for (int j = 0; j < depth; j++) {
                weights[u * depth + j] += filterOffset;
                rowSum += weights[u * depth + j];
            }
            base[u] = bias[u] + inputOffset * rowSum;
        }
        gemm = new ExactGemm(weights, units, depth, 128, loops);
        int maxAbsWeight = 0;
        for (int v : weights) {
            maxAbsWeight = Math.max(maxAbsWeight, Math.abs(v));
        }
        // A 1x1 convolution over the batch rows in the conv tiles, whose vectors stay unboxed in a JVM where other
        // vector shapes ran (the float loops' do not yet); the ExactGemm otherwise.
        tiles = loops != FloatLoops.scalar() && depth <= ConvTiles.maxDepth(maxAbsWeight)
                ? ConvTiles.createForInt8(weights, units, depth)
                : null;
        Weights.Requant r = Weights.perChannelMultipliers(ctx, input, filter, output, units);
        multipliers = r.multipliers();
        shifts = r.shifts();
        outputOffset = Quant.zeroPoint(output);
        int[] range = Quant.activationRange(ctx, options.activation(), output);
        actMin = range[0];
        actMax = range[1];
        rows = RowRequant.create(base, multipliers, shifts, outputOffset, actMin, actMax);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int size = input.size();
        if (size % depth != 0) {
            throw new IllegalStateException(
                    "FULLY_CONNECTED: input of " + size + " elements is not a multiple of the weights' depth " + depth);
        }
        int batches = size / depth;
        updateOutShape(input, batches);
        TensorValue output = out[0];
        output.resize(outShape);
        byte[] y = output.b;
        inputs = Values.shiftedFloats(input, 0, inputs);
        int stride = tiles != null ? tiles.paddedChannels() : units;
        if (acc.length < batches * units || scratch.length < batches * stride) {
            acc = new int[batches * units];
            scratch = new float[batches * stride];
        }
        if (tiles != null) {
            tiles.rows(inputs, 0, 0, 1, depth, batches, null, scratch);
            ExactGemm.toIntRows(scratch, batches, units, stride, acc, tiles.magic());
        } else {
            gemm.multiply(inputs, 0, depth, batches, scratch, acc, 0);
        }
        int done = rows.store(acc, batches, y, 0, true);
        for (int b = 0; b < batches && done < units; b++) {
            for (int u = done, i = b * units + done; u < units; u++, i++) {
                int sum = FixedPoint.multiplyByQuantizedMultiplierRuy(acc[i] + base[u], multipliers[u], shifts[u]);
                y[i] = (byte) Math.max(actMin, Math.min(actMax, sum + outputOffset));
            }
        }
    }

    private void updateOutShape(TensorValue input, int batches) {
        int rank = keepNumDims ? input.rank() : 2;
        if (outShape.length != rank) {
            outShape = new int[rank];
        }
        if (keepNumDims) {
            for (int d = 0; d < rank - 1; d++) {
                outShape[d] = input.dim(d);
            }
        } else {
            outShape[0] = batches;
        }
        outShape[rank - 1] = units;
    }
}
