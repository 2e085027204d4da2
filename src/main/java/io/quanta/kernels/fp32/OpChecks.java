package io.quanta.kernels.fp32;

import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.UnsupportedOpException;
import java.util.Arrays;

/** Preparation-time checks and run-time errors shared by the kernels here; messages name op, node and tensor. */
final class OpChecks {
    private OpChecks() {}

    /**
     * A failure while running (bad index, impossible shape): names the op and node like preparation errors. Shapes
     * sized at run time (a -1 in the signature) can only be checked here, so this is the model's fault, typed so.
     */
    static ModelInvalidException runtime(OpContext ctx, String what) {
        return new ModelInvalidException(ctx.op().displayName() + " (node " + ctx.index() + "): " + what);
    }

    static String describe(Tensor t) {
        return "'" + t.name() + "' " + t.type() + Arrays.toString(t.shape());
    }

    /** Input and output must share a type (data movement never converts). */
    static void sameType(OpContext ctx, int input, int output) {
        Tensor in = ctx.input(input);
        Tensor out = ctx.output(output);
        if (in.type() != out.type()) {
            throw ctx.fail("input " + input + " " + describe(in) + " and output " + output + " " + describe(out)
                    + " must have the same type");
        }
        if (!Elements.isMovable(in.type())) {
            throw ctx.fail("tensors of type " + in.type() + " are not supported");
        }
    }

    /**
     * A byte-moving kernel may serve a quantized op only when input and output share scale and zero point,
     * since it copies stored values without rescaling.
     */
    static void sameQuantization(OpContext ctx, int input, int output) {
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

    static boolean sameScaleAndZero(QuantParams a, QuantParams b) {
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
    static long zeroPoint(Tensor t) {
        return t.isQuantized() ? t.quant().zeroPoint(0) : 0;
    }

    static void indexType(OpContext ctx, int input) {
        Tensor t = ctx.input(input);
        if (!Elements.isIndexType(t.type())) {
            throw ctx.fail("input " + input + " " + describe(t) + " must be int32 or int64");
        }
    }

    static UnsupportedOpException unsupportedType(OpContext ctx, Tensor t) {
        return ctx.fail("type " + t.type() + " of tensor " + describe(t) + " is not supported");
    }
}
