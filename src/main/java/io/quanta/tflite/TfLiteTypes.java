package io.quanta.tflite;

import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.tflite.schema.BuiltinOperator;
import io.quanta.tflite.schema.TensorType;
import java.util.EnumMap;
import java.util.Map;

/**
 * Maps Quanta's graph enums to TFLite's codes and back, by name, so that the two enums never need to share
 * an order: DataType to TensorType, OpType to BuiltinOperator.
 */
public final class TfLiteTypes {
    /** The builtin code of custom ops. */
    public static final int CUSTOM_CODE = BuiltinOperator.CUSTOM;
    /** Builtin codes at or above this do not fit OperatorCode.deprecated_builtin_code, which then holds it. */
    public static final int PLACEHOLDER_FOR_GREATER_OP_CODES = BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES;

    private static final Map<DataType, Byte> TYPE_CODES = new EnumMap<>(DataType.class);
    private static final DataType[] TYPES_BY_CODE = new DataType[TensorType.names.length];
    private static final Map<OpType, Integer> OP_CODES = new EnumMap<>(OpType.class);
    private static final OpType[] OPS_BY_CODE = new OpType[BuiltinOperator.names.length];

    static {
        for (int code = 0; code < TensorType.names.length; code++) {
            DataType type = enumOrNull(DataType.class, TensorType.names[code]);
            TYPES_BY_CODE[code] = type;
            if (type != null) {
                TYPE_CODES.put(type, (byte) code);
            }
        }
        for (DataType type : DataType.values()) {
            if (!TYPE_CODES.containsKey(type)) {
                throw new ExceptionInInitializerError("DataType " + type + " has no TFLite TensorType");
            }
        }
        for (int code = 0; code < BuiltinOperator.names.length; code++) {
            OpType op = code == CUSTOM_CODE ? OpType.CUSTOM : enumOrNull(OpType.class, BuiltinOperator.names[code]);
            OPS_BY_CODE[code] = op == null ? OpType.OTHER : op;
            if (op != null) {
                OP_CODES.put(op, code);
            }
        }
        for (OpType op : OpType.values()) {
            if (op != OpType.OTHER && !OP_CODES.containsKey(op)) {
                throw new ExceptionInInitializerError("OpType " + op + " has no TFLite builtin code");
            }
        }
    }

    private TfLiteTypes() {}

    private static <E extends Enum<E>> E enumOrNull(Class<E> kind, String name) {
        try {
            return Enum.valueOf(kind, name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The graph type of a TensorType code, or null when Quanta has no such type. */
    public static DataType dataType(int tensorTypeCode) {
        return tensorTypeCode >= 0 && tensorTypeCode < TYPES_BY_CODE.length ? TYPES_BY_CODE[tensorTypeCode] : null;
    }

    /** The TensorType code of a graph type. */
    public static byte tensorType(DataType type) {
        return TYPE_CODES.get(type);
    }

    /** TFLite's name of a TensorType code ("INT8"), or "TYPE_n" for a code this schema does not know. */
    public static String tensorTypeName(int code) {
        return code >= 0 && code < TensorType.names.length ? TensorType.names[code] : "TYPE_" + code;
    }

    /** The op type of a builtin code: CUSTOM for 32, OTHER for builtins that OpType does not name. */
    public static OpType opType(int builtinCode) {
        return builtinCode >= 0 && builtinCode < OPS_BY_CODE.length ? OPS_BY_CODE[builtinCode] : OpType.OTHER;
    }

    /** The builtin code of a named op type (CUSTOM gives 32); OTHER has no code of its own. */
    public static int builtinCode(OpType type) {
        Integer code = OP_CODES.get(type);
        if (code == null) {
            throw new IllegalArgumentException(type + " has no builtin code of its own (the operator carries it)");
        }
        return code;
    }

    /** TFLite's name of a builtin code ("CONV_2D"), or "BUILTIN_n" for codes newer than this schema. */
    public static String builtinName(int code) {
        return code >= 0 && code < BuiltinOperator.names.length ? BuiltinOperator.names[code] : "BUILTIN_" + code;
    }

    /** The effective builtin code of an OperatorCode: old files set only the byte, new files set both. */
    public static int effectiveBuiltinCode(int deprecatedBuiltinCode, int builtinCode) {
        return Math.max(deprecatedBuiltinCode, builtinCode);
    }

    /** The value of OperatorCode.deprecated_builtin_code for a builtin code (clamped to the placeholder). */
    public static byte deprecatedBuiltinCode(int builtinCode) {
        return (byte) Math.min(builtinCode, PLACEHOLDER_FOR_GREATER_OP_CODES);
    }
}
