package io.quanta.quantize;

import io.quanta.graph.DataType;

/**
 * What became of one op of the source model.
 *
 * @param index    node index in the source model's main subgraph
 * @param opType   the op's name
 * @param outcome  quantized, kept float, or untouched (no float tensors)
 * @param reason   why it stayed float, or (16x8) why it runs in int8; null otherwise
 * @param activations QUANTIZED ops: the activation type it runs in (INT8 or INT16); null otherwise
 */
public record OpReport(int index, String opType, Outcome outcome, String reason, DataType activations) {
    /** An op that runs with int8 activations when quantized. */
    public OpReport(int index, String opType, Outcome outcome, String reason) {
        this(index, opType, outcome, reason, outcome == Outcome.QUANTIZED ? DataType.INT8 : null);
    }

    public enum Outcome {
        QUANTIZED,
        FLOAT_FALLBACK,
        NOT_FLOAT
    }
}
