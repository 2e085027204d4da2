package io.quanta.kernels;

import io.quanta.graph.DataType;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import java.util.Arrays;

/** Preparation-time checks and run-time errors shared by the kernel sets; messages name op, node and tensor. */
public final class OpChecks {
    private OpChecks() {}

    /**
     * A failure while running (bad index, impossible shape): names the op and node like preparation errors. Shapes
     * sized at run time (a -1 in the signature) can only be checked here, so this is the model's fault, typed so.
     */
    public static ModelInvalidException runtime(OpContext ctx, String what) {
        return new ModelInvalidException(ctx.op().displayName() + " (node " + ctx.index() + "): " + what);
    }

    public static String describe(Tensor t) {
        return "'" + t.name() + "' " + t.type() + Arrays.toString(t.shape());
    }

    /** Input and output must share a type (data movement never converts). */
    public static void sameType(OpContext ctx, int input, int output) {
        Tensor in = ctx.input(input);
        Tensor out = ctx.output(output);
        if (in.type() != out.type()) {
            throw ctx.fail("input " + input + " " + describe(in) + " and output " + output + " " + describe(out)
                    + " must have the same type");
        }
        if (!isMovable(in.type())) {
            throw ctx.fail("tensors of type " + in.type() + " are not supported");
        }
    }

    /**
     * A byte-moving kernel may serve a quantized op only when input and output share scale and zero point,
     * since it copies stored values without rescaling.
     */
    public static void sameQuantization(OpContext ctx, int input, int output) {
        Tensor in = ctx.input(input);
        Tensor out = ctx.output(output);
        if (!in.isQuantized() && !out.isQuantized()) {
            return;
        }
        if (!in.isQuantized() || !out.isQuantized() || !sameScaleAndZero(in.quant(), out.quant())) {
            throw ctx.fail("input " + input + " " + describe(in) + " has quantization " + in.quant() + " but output "
                    + describe(out) + " has " + out.quant() + "; requantizing data movement is not supported");
        }
    }

    public static boolean sameScaleAndZero(QuantParams a, QuantParams b) {
        if (a.scale().length != b.scale().length) {
            return false;
        }
        for (int c = 0; c < a.scale().length; c++) {
            if (a.scale(c) != b.scale(c) || a.zeroPoint(c) != b.zeroPoint(c)) {
                return false;
            }
        }
        return true;
    }

    /** The zero point of a quantized tensor (what "zero" padding stores), else 0. */
    public static long zeroPoint(Tensor t) {
        return t.isQuantized() ? t.quant().zeroPoint(0) : 0;
    }

    public static void indexType(OpContext ctx, int input) {
        Tensor t = ctx.input(input);
        if (!isIndexType(t.type())) {
            throw ctx.fail("input " + input + " " + describe(t) + " must be int32 or int64");
        }
    }

    public static UnsupportedOpException unsupportedType(OpContext ctx, Tensor t) {
        return ctx.fail("type " + t.type() + " of tensor " + describe(t) + " is not supported");
    }

    public static boolean isIndexType(DataType t) {
        return t == DataType.INT32 || t == DataType.INT64;
    }

    /** Types whose elements these kernels can move (everything with run-time storage). */
    public static boolean isMovable(DataType t) {
        return switch (t) {
            case FLOAT32, INT32, UINT32, INT8, UINT8, BOOL, INT64, UINT64, INT16, FLOAT16, UINT16 -> true;
            default -> false;
        };
    }
}
