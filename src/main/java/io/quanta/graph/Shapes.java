package io.quanta.graph;

import java.util.Arrays;

/** Pure helpers on shapes. */
public final class Shapes {
    private Shapes() {}

    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Element count as an int, failing when it does not fit (no Java array could hold it). */
    public static int size(int[] shape) {
        long n = elementCount(shape);
        if (n < 0 || n > Integer.MAX_VALUE) {
            // Validation refuses such declared shapes; one computed at run time reaches here: still the model's.
            throw new ModelInvalidException("shape " + Arrays.toString(shape) + " has too many elements");
        }
        return (int) n;
    }

    /** Row-major strides of a shape. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Normalises a possibly negative axis against a rank. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= Math.max(rank, 1)) {
            throw new IllegalArgumentException("axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
