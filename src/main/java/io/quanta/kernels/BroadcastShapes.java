package io.quanta.kernels;

import io.quanta.graph.Shapes;
import java.util.Arrays;

/**
 * NumPy-style broadcasting rules shared by the float and int8 element-wise kernels: shapes align on the
 * right and a dimension of 1 stretches.
 */
public final class BroadcastShapes {
    private BroadcastShapes() {}

    /** The broadcast shape of two shapes, or an error naming both and the first dimension that clashes. */
    public static int[] of(int[] sa, int[] sb) {
        int rank = Math.max(sa.length, sb.length);
        int[] out = new int[rank];
        for (int k = 0; k < rank; k++) {
            int da = k - (rank - sa.length) < 0 ? 1 : sa[k - (rank - sa.length)];
            int db = k - (rank - sb.length) < 0 ? 1 : sb[k - (rank - sb.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(sa) + " and " + Arrays.toString(sb)
                        + " cannot broadcast (dimension " + k + ": " + da + " vs " + db + ")");
            }
            out[k] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Row-major strides of {@code shape} aligned on the right within {@code strides.length} dimensions, 0
     * where the shape has size 1 or lacks the dimension (so a broadcast input is re-read).
     */
    public static void strides(int[] shape, int[] strides) {
        int rank = strides.length;
        int acc = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int k = d - (rank - shape.length);
            int size = k < 0 ? 1 : shape[k];
            strides[d] = size == 1 ? 0 : acc;
            acc *= size;
        }
    }

    /**
     * For each element of a tensor of shape {@code out} (row-major), the row-major offset of its source in a
     * tensor of shape {@code in} that broadcasts to it.
     */
    public static int[] indexMap(int[] in, int[] out) {
        int rank = out.length;
        int[] strides = new int[rank];
        strides(in, strides);
        int n = Shapes.size(out);
        int[] map = new int[n];
        int[] idx = new int[rank];
        int offset = 0;
        for (int k = 0; k < n; k++) {
            map[k] = offset;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                offset += strides[d];
                if (idx[d] < out[d]) {
                    break;
                }
                offset -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    /** True when the value has exactly this shape (checked without copying the value's shape). */
    public static boolean matches(int[] shape, TensorValue v) {
        if (shape.length != v.rank()) {
            return false;
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != v.dim(d)) {
                return false;
            }
        }
        return true;
    }
}
