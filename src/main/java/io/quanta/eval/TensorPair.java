package io.quanta.eval;

/**
 * A tensor of the quantized model and the float model's tensor whose value it carries, compared layer by
 * layer.
 *
 * @param quantizedIndex tensor index in the quantized model's main subgraph
 * @param floatIndex     tensor index in the float model's main subgraph
 */
public record TensorPair(int quantizedIndex, int floatIndex) {}
