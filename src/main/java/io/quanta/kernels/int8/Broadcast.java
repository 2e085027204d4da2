package io.quanta.kernels.int8;

import io.quanta.kernels.BroadcastShapes;
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
        if (valid && BroadcastShapes.matches(lastA, a) && BroadcastShapes.matches(lastB, b)) {
            return;
        }
        int[] sa = a.shape();
        int[] sb = b.shape();
        lastA = sa;
        lastB = sb;
        int[] out;
        try {
            out = BroadcastShapes.of(sa, sb);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(opName + ": " + e.getMessage());
        }
        outShape = out;
        same = java.util.Arrays.equals(sa, sb);
        size = io.quanta.graph.Shapes.size(out);
        if (!same) {
            indexA = BroadcastShapes.indexMap(sa, out);
            indexB = BroadcastShapes.indexMap(sb, out);
        }
        valid = true;
    }
}
