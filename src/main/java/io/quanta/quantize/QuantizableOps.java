package io.quanta.quantize;

import io.quanta.graph.OpType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The one table of which op types have an int8 kernel and how each is quantized. INT8 fallback, INT8_ONLY
 * errors and the int8 kernel set must all agree with it (a test checks every rule has a kernel). LOG_SOFTMAX has
 * no int8 kernel yet, so it has no rule and stays float.
 */
public final class QuantizableOps {
    private QuantizableOps() {}

    private static final Map<OpType, OpRule> RULES = new EnumMap<>(OpType.class);

    static {
        RULES.put(OpType.CONV_2D, OpRule.affine(0));
        RULES.put(OpType.DEPTHWISE_CONV_2D, OpRule.affine(3));
        RULES.put(OpType.FULLY_CONNECTED, OpRule.affine(0));

        for (OpType t : new OpType[] {
            OpType.ADD,
            OpType.SUB,
            OpType.MUL,
            OpType.MEAN,
            OpType.RELU,
            OpType.RELU6,
            OpType.LEAKY_RELU,
            OpType.HARD_SWISH,
            OpType.RESIZE_BILINEAR,
            OpType.RESIZE_NEAREST_NEIGHBOR
        }) {
            RULES.put(t, OpRule.of(OpRule.Kind.OWN_SCALE));
        }
        for (OpType t : new OpType[] {
            OpType.MAX_POOL_2D,
            OpType.AVERAGE_POOL_2D,
            OpType.RESHAPE,
            OpType.SQUEEZE,
            OpType.EXPAND_DIMS,
            OpType.PAD,
            OpType.PADV2,
            OpType.TRANSPOSE,
            OpType.GATHER,
            OpType.STRIDED_SLICE,
            OpType.SLICE,
            OpType.SPACE_TO_BATCH_ND,
            OpType.BATCH_TO_SPACE_ND
        }) {
            RULES.put(t, OpRule.of(OpRule.Kind.SAME_SCALE));
        }
        for (OpType t : new OpType[] {OpType.CONCATENATION, OpType.MAXIMUM, OpType.MINIMUM}) {
            RULES.put(t, OpRule.of(OpRule.Kind.SAME_SCALE_ALL));
        }
        RULES.put(OpType.SOFTMAX, OpRule.fixed(1f / 256, -128));
        RULES.put(OpType.LOGISTIC, OpRule.fixed(1f / 256, -128));
        RULES.put(OpType.TANH, OpRule.fixed(1f / 128, 0));
        RULES.put(OpType.SHAPE, OpRule.of(OpRule.Kind.TYPE_AGNOSTIC));
        RULES.put(OpType.UNIDIRECTIONAL_SEQUENCE_LSTM, OpRule.of(OpRule.Kind.LSTM));
    }

    /** The rule for an op type, or null when there is no int8 kernel for it. */
    public static OpRule ruleFor(OpType type) {
        return RULES.get(type);
    }

    /** Op types that run in int8 (QUANTIZE and DEQUANTIZE, which the quantizer inserts, come on top). */
    public static Set<OpType> quantizableTypes() {
        return Collections.unmodifiableSet(RULES.keySet());
    }
}
