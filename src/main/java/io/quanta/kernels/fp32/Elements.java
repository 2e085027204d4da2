package io.quanta.kernels.fp32;

import io.quanta.kernels.TensorValue;

/**
 * Type-generic element access for data-movement kernels: which primitive array a value uses, runs of
 * elements copied between values of the same type, fills, and integer operands read at run time.
 */
final class Elements {
    private Elements() {}

    /** The primitive array that holds this value's elements (float[], int[], byte[], long[] or short[]). */
    static Object array(TensorValue v) {
        return switch (v.type) {
            case FLOAT32 -> v.f;
            case INT32, UINT32 -> v.i;
            case INT8, UINT8, BOOL -> v.b;
            case INT64, UINT64 -> v.l;
            case INT16, FLOAT16, UINT16 -> v.s;
            default -> throw new IllegalArgumentException("no run-time storage for " + v.type);
        };
    }

    /** Copies n elements; both values must have the same type (checked when the kernel is made). */
    static void copy(TensorValue src, int from, TensorValue dst, int to, int n) {
        System.arraycopy(array(src), from, array(dst), to, n);
    }

    /** Copies all of src into dst, which takes the given shape (RESHAPE, SQUEEZE, EXPAND_DIMS). */
    static void copyAll(TensorValue src, TensorValue dst, int[] shape) {
        dst.resize(shape);
        copy(src, 0, dst, 0, src.size());
    }

    /**
     * Fills n elements with a value given in the tensor's own representation (a float for float32, the
     * raw integer for integer types, so a quantized pad value is its zero point).
     */
    static void fill(TensorValue v, int from, int n, double value) {
        int to = from + n;
        switch (v.type) {
            case FLOAT32 -> java.util.Arrays.fill(v.f, from, to, (float) value);
            case INT32, UINT32 -> java.util.Arrays.fill(v.i, from, to, (int) (long) value);
            case INT8, UINT8, BOOL -> java.util.Arrays.fill(v.b, from, to, (byte) (long) value);
            case INT64, UINT64 -> java.util.Arrays.fill(v.l, from, to, (long) value);
            default -> java.util.Arrays.fill(v.s, from, to, (short) (long) value);
        }
    }

    /** Element 0 of a scalar operand as a double, in the tensor's representation (uint8 unsigned). */
    static double scalar(TensorValue v) {
        return v.getAsDouble(0);
    }

    /** An int32 or int64 operand (shape, axes, begin/end, indices) read at run time. */
    static int[] ints(TensorValue v) {
        int n = v.size();
        int[] r = new int[n];
        switch (v.type) {
            case INT32 -> System.arraycopy(v.i, 0, r, 0, n);
            case INT64 -> {
                for (int k = 0; k < n; k++) {
                    r[k] = Math.toIntExact(v.l[k]);
                }
            }
            default -> throw new IllegalArgumentException("expected an int32 or int64 tensor, found " + v.type);
        }
        return r;
    }
}
