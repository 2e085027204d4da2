package io.quanta.kernels.fp32;

import io.quanta.kernels.TensorValue;

/**
 * The one N-d copy behind TRANSPOSE, STRIDED_SLICE, SLICE, PAD and the space/batch ops: walks a box of the
 * given extent, reading src at {@code srcBase + sum(idx[d] * srcStrides[d])} and writing dst at
 * {@code dstBase + sum(idx[d] * dstStrides[d])}. Strides may be negative (reversed slices). Rows along the
 * innermost dimension move with one array copy when contiguous on both sides, else element by element
 * in a loop typed once per row.
 */
final class StridedCopy {
    private StridedCopy() {}

    static void copy(
            TensorValue src,
            int srcBase,
            int[] srcStrides,
            TensorValue dst,
            int dstBase,
            int[] dstStrides,
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
        int rowLength = extent[inner];
        int srcStep = srcStrides[inner];
        int dstStep = dstStrides[inner];
        boolean contiguous = srcStep == 1 && dstStep == 1;
        int[] idx = new int[rank];
        int s = srcBase;
        int d = dstBase;
        while (true) {
            if (contiguous) {
                System.arraycopy(from, s, to, d, rowLength);
            } else {
                row(from, s, srcStep, to, d, dstStep, rowLength);
            }
            // Odometer over the outer dimensions.
            int k = inner - 1;
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

    /** One strided row; both arrays have the same primitive type. */
    private static void row(Object from, int s, int srcStep, Object to, int d, int dstStep, int n) {
        if (from instanceof float[] a) {
            float[] b = (float[]) to;
            for (int k = 0; k < n; k++, s += srcStep, d += dstStep) {
                b[d] = a[s];
            }
        } else if (from instanceof int[] a) {
            int[] b = (int[]) to;
            for (int k = 0; k < n; k++, s += srcStep, d += dstStep) {
                b[d] = a[s];
            }
        } else if (from instanceof byte[] a) {
            byte[] b = (byte[]) to;
            for (int k = 0; k < n; k++, s += srcStep, d += dstStep) {
                b[d] = a[s];
            }
        } else if (from instanceof long[] a) {
            long[] b = (long[]) to;
            for (int k = 0; k < n; k++, s += srcStep, d += dstStep) {
                b[d] = a[s];
            }
        } else {
            short[] a = (short[]) from;
            short[] b = (short[]) to;
            for (int k = 0; k < n; k++, s += srcStep, d += dstStep) {
                b[d] = a[s];
            }
        }
    }
}
