package io.quanta.kernels.int8;

import io.quanta.kernels.TensorValue;

/**
 * Numpy-style broadcasting of two inputs for element-wise ops. {@link #prepare} recomputes only when an
 * input shape changed; then either {@link #same} holds (plain element-wise loop) or {@link #indexA} /
 * {@link #indexB} map each output element to its source elements.
 */
final class Broadcast {
    private final String opName;
    private int[] lastA = new int[0];
    private int[] lastB = new int[0];
    private boolean valid;
    int[] outShape = new int[0];
    boolean same;
    int size;
    int[] indexA = new int[0];
    int[] indexB = new int[0];

    Broadcast(String opName) {
        this.opName = opName;
    }

    void prepare(TensorValue a, TensorValue b) {
        if (valid && matches(lastA, a) && matches(lastB, b)) {
            return;
        }
        int[] sa = a.shape();
        int[] sb = b.shape();
        lastA = sa;
        lastB = sb;
        int rank = Math.max(sa.length, sb.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = dimFromRight(sa, rank - 1 - d);
            int db = dimFromRight(sb, rank - 1 - d);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(opName + ": shapes " + java.util.Arrays.toString(sa) + " and "
                        + java.util.Arrays.toString(sb) + " cannot be broadcast together");
            }
            out[d] = da == 1 ? db : da;
        }
        outShape = out;
        same = java.util.Arrays.equals(sa, sb);
        size = io.quanta.graph.Shapes.size(out);
        if (!same) {
            indexA = indexMap(sa, out);
            indexB = indexMap(sb, out);
        }
        valid = true;
    }

    private static boolean matches(int[] last, TensorValue v) {
        if (last.length != v.rank()) {
            return false;
        }
        for (int d = 0; d < last.length; d++) {
            if (last[d] != v.dim(d)) {
                return false;
            }
        }
        return true;
    }

    /** Dimension k counted from the right (0 = last), 1 beyond the rank. */
    private static int dimFromRight(int[] shape, int k) {
        int d = shape.length - 1 - k;
        return d >= 0 ? shape[d] : 1;
    }

    /** For each output element, the row-major offset of its source in an input of shape {@code in}. */
    static int[] indexMap(int[] in, int[] out) {
        int rank = out.length;
        int[] strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int k = rank - 1 - d;
            int dim = dimFromRight(in, k);
            strides[d] = dim == 1 ? 0 : stride;
            stride *= dim;
        }
        int n = io.quanta.graph.Shapes.size(out);
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
}
