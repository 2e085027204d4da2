package io.quanta.kernels.fp32;

import io.quanta.graph.ModelInvalidException;
import io.quanta.kernels.BroadcastShapes;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * NumPy-style broadcasting of two shapes (up to rank 6): shapes align on the right, a dimension of 1
 * stretches. Holds, for the input shapes last seen, the output shape and per-input strides over the output
 * padded on the left to rank 6 (stride 0 where an input is broadcast), recomputed only when shapes change.
 */
final class Broadcast {
    static final int MAX_RANK = 6;

    final int[] dims = new int[MAX_RANK];
    final int[] strideA = new int[MAX_RANK];
    final int[] strideB = new int[MAX_RANK];
    /** True when both inputs have the same shape (a flat element-by-element pass). */
    boolean same;

    int[] outShape;
    private int[] lastA = new int[] {-1};
    private int[] lastB = new int[] {-1};
    private final ShapeMemo memo = new ShapeMemo();
    private final int[] scratch = new int[MAX_RANK];

    /** Brings the plan up to date with the inputs' shapes; fails when they cannot broadcast. */
    void update(TensorValue a, TensorValue b, String opName) {
        if (BroadcastShapes.matches(lastA, a) && BroadcastShapes.matches(lastB, b)) {
            return;
        }
        int[] sa = a.shape();
        int[] sb = b.shape();
        int rank = Math.max(sa.length, sb.length);
        if (rank > MAX_RANK) {
            throw new ModelInvalidException(opName + ": broadcasting supports rank up to " + MAX_RANK + ", found "
                    + Arrays.toString(sa) + " and " + Arrays.toString(sb));
        }
        int[] out;
        try {
            out = shapeOf(sa, sb);
        } catch (IllegalArgumentException e) {
            // Shapes sized at run time that do not broadcast: the model's fault, typed as such.
            throw new ModelInvalidException(opName + ": " + e.getMessage());
        }
        same = Arrays.equals(sa, sb);
        for (int d = 0; d < MAX_RANK; d++) {
            int k = d - (MAX_RANK - rank);
            dims[d] = k < 0 ? 1 : out[k];
        }
        BroadcastShapes.strides(sa, strideA);
        BroadcastShapes.strides(sb, strideB);
        System.arraycopy(out, 0, scratch, 0, out.length);
        outShape = memo.of(scratch, out.length);
        lastA = sa;
        lastB = sb;
    }

    /** The broadcast shape of two shapes, or an error naming both. */
    static int[] shapeOf(int[] sa, int[] sb) {
        return BroadcastShapes.of(sa, sb);
    }
}
