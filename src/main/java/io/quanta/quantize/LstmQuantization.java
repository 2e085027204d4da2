package io.quanta.quantize;

import io.quanta.graph.DataType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM for TFLite's 8x8_16 integer kernel, with the TensorFlow converter's recipe:
 * per-tensor symmetric int8 gate weights, int32 gate biases with scale input x input-to-gate weight scale, an
 * int16 cell state whose scale is the power of two bounding its range divided by 2^15, and an int8 output state
 * that shares the op output's parameters (quantized over the union of both ranges). Gate pre-activations use
 * the kernel's fixed 2^-12 scale, so the four gate intermediates stay unquantized (they only matter with layer
 * normalization); the hidden-state intermediate takes the output state's parameters, as without projection
 * the hidden state is the output state.
 */
final class LstmQuantization {
    static final int INPUT = 0;
    static final int OUTPUT_STATE = 18;
    static final int CELL_STATE = 19;
    private static final int[] INPUT_WEIGHTS = {1, 2, 3, 4};
    private static final int[] RECURRENT_WEIGHTS = {5, 6, 7, 8};
    private static final int[] BIASES = {12, 13, 14, 15};
    private static final String[] INTERMEDIATE_NAMES = {
        "input_to_input_intermediate",
        "input_to_forget_intermediate",
        "input_to_cell_intermediate",
        "input_to_output_intermediate",
        "effective_hidden_scale_intermediate"
    };

    private final Subgraph g;
    private final TensorRanges ranges;
    private final GraphEdit edit;

    LstmQuantization(Subgraph g, TensorRanges ranges, GraphEdit edit) {
        this.g = g;
        this.ranges = ranges;
        this.edit = edit;
    }

    /** Why this LSTM cannot run in the integer kernel, or null when it can. */
    String problem(Operator op, int[] consumerCount) {
        if (op.inputCount() != 24)
            return "expected the 24 inputs of UNIDIRECTIONAL_SEQUENCE_LSTM, found " + op.inputCount();
        for (int j = 9; j <= 11; j++) {
            if (op.input(j) >= 0) return "peephole connections are not supported by the integer LSTM kernel";
        }
        for (int j = 20; j <= 23; j++) {
            if (op.input(j) >= 0) return "layer normalization is not supported by the integer LSTM kernel";
        }
        if (op.input(16) >= 0) {
            return "projection needs a calibrated range of the hidden state, which calibration does not record";
        }
        boolean cifg = op.input(1) < 0;
        for (int gate = 0; gate < 4; gate++) {
            if (cifg && gate == 0) {
                if (op.input(RECURRENT_WEIGHTS[0]) >= 0 || op.input(BIASES[0]) >= 0) {
                    return "input gate has recurrent weights or bias but no input weights";
                }
                continue;
            }
            for (int j : new int[] {INPUT_WEIGHTS[gate], RECURRENT_WEIGHTS[gate]}) {
                int t = op.input(j);
                if (t < 0
                        || !Constants.readableAsFloats(g.tensor(t))
                        || g.tensor(t).rank() != 2) {
                    return "weights (input " + j + ") "
                            + (t < 0 ? "missing" : "'" + g.tensor(t).name() + "' are not a rank-2 float constant");
                }
            }
            int b = op.input(BIASES[gate]);
            if (b < 0 || !g.tensor(b).isConstant() || g.tensor(b).type() != DataType.FLOAT32) {
                return "gate bias (input " + BIASES[gate] + ") "
                        + (b < 0 ? "missing" : "'" + g.tensor(b).name() + "' is not a float32 constant");
            }
        }
        for (int j : new int[] {OUTPUT_STATE, CELL_STATE}) {
            int t = op.input(j);
            if (t < 0) return "state (input " + j + ") missing";
            Tensor s = g.tensor(t);
            if (!s.isVariable() || s.type() != DataType.FLOAT32 || consumerCount[t] != 1) {
                return "state '" + s.name() + "' must be a float32 variable tensor used by this op alone";
            }
        }
        if (ranges.rangeOf(op.output(0)) == null) return noRange(op.output(0), "output");
        if (ranges.rangeOf(op.input(CELL_STATE)) == null) return noRange(op.input(CELL_STATE), "cell state");
        return null;
    }

    private String noRange(int t, String what) {
        return "no calibration range for the " + what + " '" + g.tensor(t).name() + "' (#" + t + ")";
    }

    /**
     * Output (and output state) parameters: the converter quantizes both with the union of their ranges,
     * since the state's first value never shows in the output.
     */
    QuantParams outputParams(Operator op) {
        Range out = ranges.rangeOf(op.output(0));
        Range state = ranges.rangeOf(op.input(OUTPUT_STATE));
        if (state == null) return QuantMath.activationParams(out);
        return QuantMath.activationParams(Math.min(out.min(), state.min()), Math.max(out.max(), state.max()));
    }

    /** int16 cell state: zero point 0, scale 2^ceil(log2(max|c|)) / 2^15. */
    static QuantParams cellStateParams(Range range) {
        double maxAbs = Math.max(Math.abs((double) range.min()), Math.abs((double) range.max()));
        maxAbs = Math.max(maxAbs, QuantMath.NEAR_ZERO);
        double bound = Math.pow(2, Math.ceil(Math.log(maxAbs) / Math.log(2)));
        return QuantParams.perTensor((float) (bound / 32768.0), 0);
    }

    /**
     * Rewrites weights, biases, states and intermediates of the op in place; input 0 must already be its int8
     * view (with scale {@code inputScale}) and the output is left to the caller.
     */
    void rewrite(Operator op, int[] inputs, float inputScale, QuantParams outParams) {
        boolean cifg = op.input(1) < 0;
        for (int gate = cifg ? 1 : 0; gate < 4; gate++) {
            float inputWeightScale = quantizeWeights(op, inputs, INPUT_WEIGHTS[gate]);
            quantizeWeights(op, inputs, RECURRENT_WEIGHTS[gate]);
            int b = op.input(BIASES[gate]);
            float[] bias = Constants.requireFinite(
                    g.tensor(b), TensorData.floats(g.tensor(b).data()));
            float biasScale = QuantMath.biasScale(inputScale, inputWeightScale);
            int bi = edit.addConstant(
                    g.tensor(b).name(),
                    DataType.INT32,
                    g.tensor(b).shape(),
                    TensorData.of(QuantMath.quantizeBias(bias, new float[] {biasScale})),
                    QuantParams.perTensor(biasScale, 0));
            edit.note(bi, TensorReport.Role.BIAS, Range.of(bias), b);
            inputs[BIASES[gate]] = bi;
        }
        int h = op.input(OUTPUT_STATE);
        g.tensor(h).type(DataType.INT8).quant(outParams);
        edit.note(h, TensorReport.Role.ACTIVATION, ranges.rangeOf(h), h);
        int c = op.input(CELL_STATE);
        Range cellRange = ranges.rangeOf(c);
        g.tensor(c).type(DataType.INT16).quant(cellStateParams(cellRange));
        edit.note(c, TensorReport.Role.ACTIVATION, cellRange, c);

        int[] intermediates = new int[5];
        for (int k = 0; k < 4; k++) {
            intermediates[k] =
                    g.addTensor(new Tensor(uniqueName(INTERMEDIATE_NAMES[k]), DataType.FLOAT32, new int[] {0}));
        }
        intermediates[4] = g.addTensor(
                new Tensor(uniqueName(INTERMEDIATE_NAMES[4]), DataType.INT8, new int[] {0}).quant(outParams));
        op.intermediates(intermediates);
    }

    /** The converter's name for the first LSTM's intermediates; later LSTMs get a numbered suffix. */
    private String uniqueName(String base) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (Tensor t : g.tensors()) taken.add(t.name());
        String name = base;
        for (int n = 1; taken.contains(name); n++) name = base + "_" + n;
        return name;
    }

    /** Per-tensor symmetric int8 weights; returns their scale. */
    private float quantizeWeights(Operator op, int[] inputs, int j) {
        Tensor w = g.tensor(op.input(j));
        float[] values = Constants.finiteFloats(w);
        float scale = QuantMath.symmetricScale(QuantMath.maxAbs(values, w.shape(), -1)[0]);
        int wi = edit.addConstant(
                w.name(),
                DataType.INT8,
                w.shape(),
                QuantMath.quantizeWeights(values, w.shape(), -1, new float[] {scale}),
                QuantParams.perTensor(scale, 0));
        edit.note(wi, TensorReport.Role.WEIGHT, Range.of(values), op.input(j));
        inputs[j] = wi;
        return scale;
    }
}
