package io.quanta.graph;

/**
 * Operator kinds by their TFLite builtin name. The flatbuffer layer maps them to and from builtin codes;
 * a builtin this enum does not name reads as {@link #OTHER} (its code kept on the {@link Operator}), a custom
 * op as {@link #CUSTOM}.
 */
public enum OpType {
    ADD, AVERAGE_POOL_2D, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE, FULLY_CONNECTED,
    L2_NORMALIZATION, LOGISTIC, MAX_POOL_2D, MUL, RELU, RELU_N1_TO_1, RELU6, RESHAPE, RESIZE_BILINEAR, SOFTMAX,
    TANH, PAD, GATHER, BATCH_TO_SPACE_ND, SPACE_TO_BATCH_ND, TRANSPOSE, MEAN, SUB, DIV, SQUEEZE,
    UNIDIRECTIONAL_SEQUENCE_LSTM, STRIDED_SLICE, EXP, SPLIT, LOG_SOFTMAX, CAST, MAXIMUM, MINIMUM, PADV2, SLICE,
    TRANSPOSE_CONV, EXPAND_DIMS, LOG, SUM, SQRT, RSQRT, SHAPE, REDUCE_MAX, PACK, FLOOR_MOD, RESIZE_NEAREST_NEIGHBOR,
    LEAKY_RELU, SQUARED_DIFFERENCE, QUANTIZE, HARD_SWISH, BATCH_MATMUL,
    /** A custom op: see {@link Operator#customCode()}. */
    CUSTOM,
    /** A builtin op this enum does not name: see {@link Operator#builtinCode()}. */
    OTHER
}
