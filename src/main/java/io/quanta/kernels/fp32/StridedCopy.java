package io.quanta.kernels.fp32;

import io.quanta.kernels.TensorValue;

/**
 * The one N-d copy behind TRANSPOSE, STRIDED_SLICE, SLICE and PAD: walks a box of the given extent,
 * reading src at {@code srcBase + sum(idx[d] * srcStrides[d])} and writing dst at
 * {@code dstBase + sum(idx[d] * dstStrides[d])}. Strides may be negative (reversed slices). When the
 * innermost dimension is contiguous on both sides it moves whole rows with one array copy.
 */
final class StridedCopy {
    private StridedCopy() {}

    static void copy(TensorValue src, int srcBase, int[] srcStrides, TensorValue dst, int dstBase, int[] dstStrides,
            int[] extent) {
        int rank = extent.length;
        for (int e : extent) {
            if (e <= 0) {
                return;
            }
        }
        if (rank == 0) {
            Elements.copy(src, srcBase, dst, dstBase, 1);
            return;
        }
        Object from = Elements.array(src);
        Object to = Elements.array(dst);
        int inner = rank - 1;
        boolean rows = srcStrides[inner] == 1 && dstStrides[inner] == 1;
        int rowLength = rows ? extent[inner] : 1;
        int outerRank = rows ? inner : rank;
        int[] idx = new int[Math.max(outerRank, 1)];
        int s = srcBase;
        int d = dstBase;
        while (true) {
            System.arraycopy(from, s, to, d, rowLength);
            // Odometer over the outer dimensions (all of them when rows are not contiguous).
            int k = outerRank - 1;
            while (k >= 0) {
                idx[k]++;
                s += srcStrides[k];
                d += dstStrides[k];
                if (idx[k] < extent[k]) {
                    break;
                }
                s -= srcStrides[k] * extent[k];
                d -= dstStrides[k] * extent[k];
                idx[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
    }
}
