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

    /**
     * 16x8: the op types TFLite 2.21 runs with int16 activations and int8 weights (the converter's 16x8 op table,
     * each with an int16 kernel in TFLite and in Quanta), and their rules with int16 parameters. An int8 op type
     * missing here stays int8 in a 16x8 model, for the reason {@link #whyNotInt16} gives.
     */
    private static final Map<OpType, OpRule> RULES16 = new EnumMap<>(OpType.class);

    /** Why an op type with an int8 rule has no 16x8 rule. */
    private static final Map<OpType, String> NOT_INT16 = new EnumMap<>(OpType.class);

    static {
        for (OpType t : new OpType[] {
            OpType.CONV_2D,
            OpType.DEPTHWISE_CONV_2D,
            OpType.FULLY_CONNECTED,
            OpType.ADD,
            OpType.SUB,
            OpType.MUL,
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
            OpType.CONCATENATION,
            OpType.SHAPE,
            OpType.MEAN,
            OpType.LEAKY_RELU,
            OpType.MAXIMUM,
            OpType.MINIMUM
        }) {
            RULES16.put(t, RULES.get(t));
        }
        // The int16 kernels of these ops expect outputs in [-1, 1) or [0, 1) with scale 2^-15 and zero point 0.
        RULES16.put(OpType.SOFTMAX, OpRule.fixed(1f / 32768, 0));
        RULES16.put(OpType.LOGISTIC, OpRule.fixed(1f / 32768, 0));
        RULES16.put(OpType.TANH, OpRule.fixed(1f / 32768, 0));
        String converter = "TFLite's converter has no 16x8 rule for ";
        for (OpType t : new OpType[] {
            OpType.RELU,
            OpType.RELU6,
            OpType.HARD_SWISH,
            OpType.RESIZE_BILINEAR,
            OpType.RESIZE_NEAREST_NEIGHBOR,
            OpType.SPACE_TO_BATCH_ND,
            OpType.BATCH_TO_SPACE_ND,
            OpType.UNIDIRECTIONAL_SEQUENCE_LSTM
        }) {
            NOT_INT16.put(t, converter + t.name() + " (its quantizable_int16 is false)");
        }
    }

    /** The 16x8 rule for an op type, or null when TFLite 2.21 does not run it with int16 activations. */
    public static OpRule int16RuleFor(OpType type) {
        return RULES16.get(type);
    }

    /** Op types that run in 16x8. */
    public static Set<OpType> int16Types() {
        return Collections.unmodifiableSet(RULES16.keySet());
    }

    /** True when an op of this type (by its report name) runs in 16x8. */
    public static boolean runsInInt16(String opType) {
        for (OpType t : RULES16.keySet()) {
            if (t.name().equals(opType)) return true;
        }
        return false;
    }

    /** Why an op of this type cannot run in 16x8 (null when it can). */
    public static String whyNotInt16(OpType type) {
        if (RULES16.containsKey(type)) return null;
        String why = NOT_INT16.get(type);
        return why != null ? why : "TFLite 2.21 has no 16x8 kernel for " + type.name();
    }

    /** Why an op of this type (by its report name) cannot run in 16x8 (null when it can). */
    public static String whyNotInt16(String opType) {
        for (OpType t : OpType.values()) {
            if (t.name().equals(opType)) return whyNotInt16(t);
        }
        return "TFLite 2.21 has no 16x8 kernel for " + opType;
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
