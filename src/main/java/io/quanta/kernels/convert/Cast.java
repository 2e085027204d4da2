package io.quanta.kernels.convert;

import io.quanta.graph.DataType;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * CAST between float32, int32, int64, int16, uint8, int8 and bool with C++ static_cast rules, as TFLite:
 * float to integer truncates toward zero; narrower integers wrap; anything to bool is "not zero"; bool
 * is 0 or 1. A float outside the int32 range becomes INT32_MIN (x86's result, where TFLite is measured);
 * float to 8/16-bit goes through int32 and keeps the low bits.
 */
public final class Cast {
    private Cast() {}

    private static boolean supported(DataType t) {
        return switch (t) {
            case FLOAT32, INT32, INT64, INT16, UINT8, INT8, BOOL -> true;
            default -> false;
        };
    }

    public static Kernel create(OpContext ctx) {
        DataType from = ctx.input(0).type();
        DataType to = ctx.output(0).type();
        if (!supported(from)) {
            throw OpChecks.unsupportedType(ctx, ctx.input(0));
        }
        if (!supported(to)) {
            throw OpChecks.unsupportedType(ctx, ctx.output(0));
        }
        return (in, out) -> {
            TensorValue src = in[0];
            TensorValue dst = out[0];
            dst.resize(src.shape());
            int n = src.size();
            if (from == DataType.FLOAT32) {
                for (int k = 0; k < n; k++) {
                    storeFloat(dst, k, src.f[k]);
                }
            } else {
                for (int k = 0; k < n; k++) {
                    storeInteger(dst, k, integerAt(src, k));
                }
            }
        };
    }

    /** Element k of an integer or bool value, sign- or zero-extended as its type says. */
    private static long integerAt(TensorValue v, int k) {
        return switch (v.type) {
            case INT32 -> v.i[k];
            case INT64 -> v.l[k];
            case INT16 -> v.s[k];
            case INT8 -> v.b[k];
            case UINT8 -> v.b[k] & 0xff;
            case BOOL -> v.b[k] != 0 ? 1 : 0;
            default -> throw new IllegalStateException(v.type.name());
        };
    }

    private static void storeInteger(TensorValue dst, int k, long x) {
        switch (dst.type) {
            case FLOAT32 -> dst.f[k] = (float) x;
            case INT32 -> dst.i[k] = (int) x;
            case INT64 -> dst.l[k] = x;
            case INT16 -> dst.s[k] = (short) x;
            case INT8, UINT8 -> dst.b[k] = (byte) x;
            case BOOL -> dst.b[k] = (byte) (x != 0 ? 1 : 0);
            default -> throw new IllegalStateException(dst.type.name());
        }
    }

    private static void storeFloat(TensorValue dst, int k, float x) {
        switch (dst.type) {
            case FLOAT32 -> dst.f[k] = x;
            case INT64 -> dst.l[k] = x >= -0x1p63f && x < 0x1p63f ? (long) x : Long.MIN_VALUE;
            case INT32 -> dst.i[k] = truncateToInt(x);
            case INT16 -> dst.s[k] = (short) truncateToInt(x);
            case INT8, UINT8 -> dst.b[k] = (byte) truncateToInt(x);
            case BOOL -> dst.b[k] = (byte) (x != 0f ? 1 : 0);
            default -> throw new IllegalStateException(dst.type.name());
        }
    }

    private static int truncateToInt(float x) {
        return x >= -0x1p31f && x < 0x1p31f ? (int) x : Integer.MIN_VALUE;
    }
}
