package io.quanta.kernels.fp32;

import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;

/** Axis normalisation and the index math shared by reductions, concatenation, gather and friends. */
final class Axes {
    private Axes() {}

    /** A possibly negative axis in [-rank, rank) as a position in [0, rank). */
    static int normalize(OpContext ctx, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw OpChecks.runtime(ctx, "axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Which dimensions the axes name (negative and repeated axes allowed, as in TFLite reductions). */
    static boolean[] mask(OpContext ctx, int[] axes, int rank) {
        boolean[] m = new boolean[rank];
        for (int a : axes) {
            m[normalize(ctx, a, rank)] = true;
        }
        return m;
    }

    /** Product of dims [from, to). */
    static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) {
            p *= shape[d];
        }
        return p;
    }
}
