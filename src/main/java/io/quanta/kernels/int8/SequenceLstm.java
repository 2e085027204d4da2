package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, fully integer (TFLite's 8x8_16 kernel): int8 input and output state, int8
 * weights, int32 biases, an int16 cell state with a power-of-two scale. Gate pre-activations are int16 in
 * Q3.12; sigmoid and tanh are gemmlowp's fixed-point functions; the hidden state is requantized to int8.
 * Supported: with or without CIFG and projection; peephole and layer normalization are not.
 */
final class SequenceLstm implements Kernel {
    private static final int INPUT = 0;
    private static final int OUTPUT_STATE = 18;
    private static final int CELL_STATE = 19;
    private static final float GATE_SCALE = (float) Math.pow(2, -12); // Q3.12 gate pre-activations

    /** One gate: input and recurrent weights with their effective biases and multipliers. */
    private static final class Gate {
        final int[] inputWeights;
        final int[] inputBias;
        final int inputMultiplier;
        final int inputShift;
        final int[] recurrentWeights;
        final int[] recurrentBias;
        final int recurrentMultiplier;
        final int recurrentShift;

        Gate(
                OpContext ctx,
                int inputWeightIndex,
                int recurrentWeightIndex,
                int biasIndex,
                float inputScale,
                float outputStateScale,
                int inputZeroPoint,
                int outputStateZeroPoint,
                int nInput,
                int nOutput,
                int nCell) {
            Tensor iw = weights(ctx, inputWeightIndex, nCell, nInput);
            Tensor rw = weights(ctx, recurrentWeightIndex, nCell, nOutput);
            inputWeights = Weights.widen(iw.data());
            recurrentWeights = Weights.widen(rw.data());
            int[] bias = Weights.bias(ctx, biasIndex, nCell);
            inputBias = zeroPointTimesWeights(bias, -inputZeroPoint, inputWeights, nCell, nInput);
            recurrentBias =
                    zeroPointTimesWeights(new int[nCell], -outputStateZeroPoint, recurrentWeights, nCell, nOutput);
            // float arithmetic, as TFLite computes the effective scales
            FixedPoint.Multiplier mi = FixedPoint.quantizeMultiplier(Quant.scale(ctx, iw) * inputScale / GATE_SCALE);
            FixedPoint.Multiplier mr =
                    FixedPoint.quantizeMultiplier(Quant.scale(ctx, rw) * outputStateScale / GATE_SCALE);
            inputMultiplier = mi.multiplier();
            inputShift = mi.shift();
            recurrentMultiplier = mr.multiplier();
            recurrentShift = mr.shift();
        }
    }

    private final boolean timeMajor;
    private final int nInput;
    private final int nCell;
    private final int nOutput;
    private final Gate inputGate; // null with CIFG
    private final Gate forgetGate;
    private final Gate cellGate;
    private final Gate outputGate;
    private final int cellScale; // log2 of the cell state's scale
    private final int cellClip;
    private final int hiddenMultiplier;
    private final int hiddenShift;
    private final int hiddenZeroPoint;
    private final int[] projectionWeights; // null without projection
    private final int[] projectionBias;
    private final int projectionMultiplier;
    private final int projectionShift;
    private final int projectionClip;
    private final int outputStateZeroPoint;
    private final int[] inputGateValues;
    private final int[] forgetGateValues;
    private final int[] cellGateValues;
    private final int[] outputGateValues;
    private final int[] hidden;
    private final int[] outShape = new int[3];

    static io.quanta.kernels.Kernel create(OpContext ctx) {
        return new SequenceLstm(ctx);
    }

    private SequenceLstm(OpContext ctx) {
        OpOptions.SequenceLstm options = ctx.options(OpOptions.SequenceLstm.class);
        timeMajor = options.timeMajor();
        Tensor input = ctx.input(INPUT);
        Tensor outputState = ctx.input(OUTPUT_STATE);
        Tensor cellState = ctx.input(CELL_STATE);
        Quant.requireInt8(ctx, input, "input");
        Quant.requireInt8(ctx, outputState, "output state");
        if (cellState.type() != DataType.INT16) {
            throw ctx.fail("cell state '" + cellState.name() + "' is " + cellState.type() + ", expected INT16");
        }
        for (int i = 9; i <= 11; i++) {
            if (ctx.hasInput(i)) {
                throw ctx.fail("peephole connections are not supported in the integer LSTM");
            }
        }
        for (int i = 20; i < ctx.inputCount(); i++) {
            if (ctx.hasInput(i)) {
                throw ctx.fail("layer normalization is not supported in the integer LSTM");
            }
        }
        int[] intermediates = ctx.op().intermediates();
        if (intermediates.length != 5) {
            throw ctx.fail("expects the 5 intermediate tensors of TFLite's 8x8_16 integer LSTM, found "
                    + intermediates.length);
        }
        Tensor hiddenTensor = ctx.graph().tensor(intermediates[4]);
        nInput = input.dim(input.rank() - 1);
        nCell = ctx.input(2).dim(0);
        nOutput = outputState.dim(outputState.rank() - 1);
        float inputScale = Quant.scale(ctx, input);
        int inputZeroPoint = Quant.zeroPoint(input);
        float outputStateScale = Quant.scale(ctx, outputState);
        outputStateZeroPoint = Quant.zeroPoint(outputState);
        boolean cifg = !ctx.hasInput(1);
        inputGate = cifg
                ? null
                : new Gate(
                        ctx,
                        1,
                        5,
                        12,
                        inputScale,
                        outputStateScale,
                        inputZeroPoint,
                        outputStateZeroPoint,
                        nInput,
                        nOutput,
                        nCell);
        forgetGate = new Gate(
                ctx,
                2,
                6,
                13,
                inputScale,
                outputStateScale,
                inputZeroPoint,
                outputStateZeroPoint,
                nInput,
                nOutput,
                nCell);
        cellGate = new Gate(
                ctx,
                3,
                7,
                14,
                inputScale,
                outputStateScale,
                inputZeroPoint,
                outputStateZeroPoint,
                nInput,
                nOutput,
                nCell);
        outputGate = new Gate(
                ctx,
                4,
                8,
                15,
                inputScale,
                outputStateScale,
                inputZeroPoint,
                outputStateZeroPoint,
                nInput,
                nOutput,
                nCell);

        float cellStateScale = Quant.scale(ctx, cellState);
        float log2 = (float) Math.log(cellStateScale) * (1.0f / (float) Math.log(2.0f));
        float rounded = FixedPoint.roundHalfAwayFromZero(log2);
        if (Math.abs(log2 - rounded) >= 1e-3f) {
            throw ctx.fail("cell state scale " + cellStateScale + " is not a power of two");
        }
        cellScale = (int) rounded;
        cellClip = options.cellClip() > 0
                ? (short) (int) Math.min(Math.max(options.cellClip() / cellStateScale, -32768.0f), 32767.0f)
                : 0;

        float hiddenScale = Quant.scale(ctx, hiddenTensor);
        hiddenZeroPoint = Quant.zeroPoint(hiddenTensor);
        FixedPoint.Multiplier mh =
                FixedPoint.quantizeMultiplier((float) (Math.pow(2, -15) / hiddenScale * Math.pow(2, -15)));
        hiddenMultiplier = mh.multiplier();
        hiddenShift = mh.shift();

        if (ctx.hasInput(16)) {
            Tensor pw = weights(ctx, 16, nOutput, nCell);
            projectionWeights = Weights.widen(pw.data());
            int[] bias = ctx.hasInput(17) ? TensorData.ints(ctx.input(17).data()) : new int[nOutput];
            projectionBias = zeroPointTimesWeights(bias, -hiddenZeroPoint, projectionWeights, nOutput, nCell);
            FixedPoint.Multiplier mp =
                    FixedPoint.quantizeMultiplier(Quant.scale(ctx, pw) * hiddenScale / outputStateScale);
            projectionMultiplier = mp.multiplier();
            projectionShift = mp.shift();
            projectionClip = options.projClip() > 0
                    ? (byte) (int) Math.min(Math.max(options.projClip() / outputStateScale, -128.0f), 127.0f)
                    : 0;
        } else {
            if (nOutput != nCell) {
                throw ctx.fail("without projection the output size " + nOutput + " must equal the cell size " + nCell);
            }
            projectionWeights = null;
            projectionBias = null;
            projectionMultiplier = 0;
            projectionShift = 0;
            projectionClip = 0;
        }
        inputGateValues = new int[nCell];
        forgetGateValues = new int[nCell];
        cellGateValues = new int[nCell];
        outputGateValues = new int[nCell];
        hidden = new int[nCell];
    }

    private static Tensor weights(OpContext ctx, int index, int rows, int cols) {
        Tensor w = ctx.input(index);
        Quant.requireInt8(ctx, w, "weights " + index);
        if (!w.isConstant() || w.rank() != 2 || w.dim(0) != rows || w.dim(1) != cols) {
            throw ctx.fail("weights '" + w.name() + "' must be a constant [" + rows + ", " + cols + "] tensor");
        }
        Quant.requirePerTensor(ctx, w, "weights");
        return w;
    }

    /** bias + zeroPoint * (row sums of the weights): TFLite folds the input offset into the bias once. */
    private static int[] zeroPointTimesWeights(int[] bias, int zeroPoint, int[] weights, int rows, int cols) {
        int[] r = bias.clone();
        for (int row = 0; row < rows; row++) {
            int sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += weights[row * cols + c];
            }
            r[row] += zeroPoint * sum;
        }
        return r;
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[INPUT];
        int batches = timeMajor ? input.dim(1) : input.dim(0);
        int steps = timeMajor ? input.dim(0) : input.dim(1);
        outShape[0] = input.dim(0);
        outShape[1] = input.dim(1);
        outShape[2] = nOutput;
        out[0].resize(outShape);
        byte[] x = input.b;
        byte[] y = out[0].b;
        byte[] outputState = in[OUTPUT_STATE].b;
        short[] cellState = in[CELL_STATE].s;
        for (int b = 0; b < batches; b++) {
            for (int t = 0; t < steps; t++) {
                int row = timeMajor ? t * batches + b : b * steps + t;
                step(x, row * nInput, outputState, b * nOutput, cellState, b * nCell);
                System.arraycopy(outputState, b * nOutput, y, row * nOutput, nOutput);
            }
        }
    }

    private void step(byte[] x, int xBase, byte[] state, int stateBase, short[] cell, int cellBase) {
        gate(forgetGate, x, xBase, state, stateBase, forgetGateValues);
        for (int c = 0; c < nCell; c++) {
            forgetGateValues[c] = FixedPointInt16.logistic(forgetGateValues[c], 3);
        }
        gate(cellGate, x, xBase, state, stateBase, cellGateValues);
        for (int c = 0; c < nCell; c++) {
            cellGateValues[c] = FixedPointInt16.tanh(cellGateValues[c], 3);
        }
        if (inputGate != null) {
            gate(inputGate, x, xBase, state, stateBase, inputGateValues);
            for (int c = 0; c < nCell; c++) {
                inputGateValues[c] = FixedPointInt16.logistic(inputGateValues[c], 3);
            }
        } else {
            for (int c = 0; c < nCell; c++) {
                inputGateValues[c] = Short.MAX_VALUE - forgetGateValues[c];
            }
        }
        // c = f * c + i * g, in the cell state's power-of-two scale
        for (int c = 0; c < nCell; c++) {
            int kept = (short) FixedPoint.roundingDivideByPOT(forgetGateValues[c] * cell[cellBase + c], 15);
            int added = (short) FixedPoint.roundingDivideByPOT(inputGateValues[c] * cellGateValues[c], 30 + cellScale);
            int v = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, kept + added));
            if (cellClip > 0) {
                v = Math.max(-cellClip, Math.min(cellClip, v));
            }
            cell[cellBase + c] = (short) v;
        }
        gate(outputGate, x, xBase, state, stateBase, outputGateValues);
        // h = o * tanh(c), requantized to int8
        for (int c = 0; c < nCell; c++) {
            int o = FixedPointInt16.logistic(outputGateValues[c], 3);
            int tanhCell = FixedPointInt16.tanh(cell[cellBase + c], 15 + cellScale);
            int v = FixedPoint.multiplyByQuantizedMultiplier(o * tanhCell, hiddenMultiplier, hiddenShift)
                    + hiddenZeroPoint;
            hidden[c] = Math.max(-128, Math.min(127, v));
        }
        if (projectionWeights == null) {
            for (int c = 0; c < nCell; c++) {
                state[stateBase + c] = (byte) hidden[c];
            }
        } else {
            for (int o = 0; o < nOutput; o++) {
                int acc = projectionBias[o];
                for (int c = 0; c < nCell; c++) {
                    acc += projectionWeights[o * nCell + c] * hidden[c];
                }
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc, projectionMultiplier, projectionShift)
                        + outputStateZeroPoint;
                v = Math.max(-128, Math.min(127, v));
                if (projectionClip > 0) {
                    v = Math.max(-projectionClip, Math.min(projectionClip, v));
                }
                state[stateBase + o] = (byte) v;
            }
        }
    }

    /** Gate pre-activation in Q3.12: input and recurrent products, each requantized and added with int16 saturation. */
    private void gate(Gate g, byte[] x, int xBase, byte[] state, int stateBase, int[] result) {
        for (int c = 0; c < nCell; c++) {
            int acc = g.inputBias[c];
            int wBase = c * nInput;
            for (int k = 0; k < nInput; k++) {
                acc += g.inputWeights[wBase + k] * x[xBase + k];
            }
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc, g.inputMultiplier, g.inputShift);
            v = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            int racc = g.recurrentBias[c];
            int rBase = c * nOutput;
            for (int k = 0; k < nOutput; k++) {
                racc += g.recurrentWeights[rBase + k] * state[stateBase + k];
            }
            int r = FixedPoint.multiplyByQuantizedMultiplier(racc, g.recurrentMultiplier, g.recurrentShift) + v;
            result[c] = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
        }
    }
}
