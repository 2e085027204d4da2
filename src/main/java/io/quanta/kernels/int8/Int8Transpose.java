package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/** TRANSPOSE of an int8 (or any one-byte) tensor by a constant permutation, up to 6 dimensions. */
final class Int8Transpose implements Kernel {
    private final int[] perm;
    private final int[] outShape;
    private final int[] srcStrides; // input stride of each output dimension
    private final int[] index;

    static Kernel create(OpContext op) {
        return new Int8Transpose(op);
    }

    private Int8Transpose(OpContext op) {
        Quant.requireInt8(op, op.input(0), "input");
        perm = op.constInts(1);
        int rank = op.input(0).rank();
        boolean[] seen = new boolean[rank];
        if (perm.length != rank) {
            throw op.fail("permutation " + Arrays.toString(perm) + " does not match the " + rank + "-D input");
        }
        for (int i = 0; i < rank; i++) {
            if (perm[i] < 0) {
                perm[i] += rank;
            }
            if (perm[i] < 0 || perm[i] >= rank || seen[perm[i]]) {
                throw op.fail("invalid permutation " + Arrays.toString(perm));
            }
            seen[perm[i]] = true;
        }
        outShape = new int[rank];
        srcStrides = new int[rank];
        index = new int[rank];
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int rank = perm.length;
        int stride = 1;
        int[] inStrides = index; // reuse as scratch before iterating
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = stride;
            stride *= input.dim(d);
        }
        for (int d = 0; d < rank; d++) {
            outShape[d] = input.dim(perm[d]);
            srcStrides[d] = inStrides[perm[d]];
        }
        out[0].resize(outShape);
        byte[] x = input.b;
        byte[] y = out[0].b;
        int n = input.size();
        Arrays.fill(index, 0);
        int src = 0;
        int last = rank - 1;
        for (int k = 0; k < n; k++) {
            y[k] = x[src];
            for (int d = last; d >= 0; d--) {
                src += srcStrides[d];
                if (++index[d] < outShape[d]) {
                    break;
                }
                src -= srcStrides[d] * outShape[d];
                index[d] = 0;
            }
        }
    }
}
