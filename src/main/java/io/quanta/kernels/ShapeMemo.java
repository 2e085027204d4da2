package io.quanta.kernels;

import java.util.Arrays;

/** Remembers the last output shape a kernel built, so that steady-state invocations allocate nothing. */
public final class ShapeMemo {
    private int[] last = new int[0];

    public int[] of(int d0, int d1, int d2, int d3) {
        int[] s = last;
        if (s.length != 4 || s[0] != d0 || s[1] != d1 || s[2] != d2 || s[3] != d3) {
            last = s = new int[] {d0, d1, d2, d3};
        }
        return s;
    }

    /** The shape held in dims[0, rank); copied only when it differs from the last one. */
    public int[] of(int[] dims, int rank) {
        int[] s = last;
        boolean same = s.length == rank;
        for (int d = 0; same && d < rank; d++) {
            same = s[d] == dims[d];
        }
        if (!same) {
            last = s = java.util.Arrays.copyOf(dims, rank);
        }
        return s;
    }

    /** FULLY_CONNECTED's output shape for an input value: [batch, units], or the input's shape ending in units. */
    public int[] ofFullyConnected(
            TensorValue input, int inSize, int units, boolean keepNumDims, int[] dims, String opName) {
        int size = input.size();
        if (inSize == 0 || size % inSize != 0) {
            throw new IllegalArgumentException(opName + ": input of " + size + " elements "
                    + Arrays.toString(input.shape()) + " is not a whole number of rows of " + inSize);
        }
        if (keepNumDims) {
            int rank = input.rank();
            for (int d = 0; d < rank; d++) {
                dims[d] = input.dim(d);
            }
            dims[rank - 1] = units;
            return of(dims, rank);
        }
        dims[0] = size / inSize;
        dims[1] = units;
        return of(dims, 2);
    }
}
