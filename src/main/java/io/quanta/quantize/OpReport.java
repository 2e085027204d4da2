package io.quanta.quantize;

/**
 * What became of one op of the source model.
 *
 * @param index    node index in the source model's main subgraph
 * @param opType   the op's name
 * @param outcome  quantized, kept float, or untouched (no float tensors)
 * @param reason   why it stayed float; null otherwise
 */
public record OpReport(int index, String opType, Outcome outcome, String reason) {
    public enum Outcome {
        QUANTIZED,
        FLOAT_FALLBACK,
        NOT_FLOAT
    }
}
