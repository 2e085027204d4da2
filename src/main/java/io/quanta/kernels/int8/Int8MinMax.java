package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * MAXIMUM and MINIMUM on int8, with broadcasting. TFLite compares the raw int8 values (inputs and output
 * share quantization), so no rescaling happens.
 */
final class Int8MinMax implements Kernel {
    private final boolean maximum;
    private final Broadcast broadcast;

    static Kernel maximum(OpContext op) {
        check(op);
        return new Int8MinMax(true, "MAXIMUM");
    }

    static Kernel minimum(OpContext op) {
        check(op);
        return new Int8MinMax(false, "MINIMUM");
    }

    private static void check(OpContext op) {
        Quant.requireInt8(op, op.input(0), "input 1");
        Quant.requireInt8(op, op.input(1), "input 2");
        Quant.requireInt8(op, op.output(0), "output");
    }

    private Int8MinMax(boolean maximum, String name) {
        this.maximum = maximum;
        this.broadcast = new Broadcast(name);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        broadcast.prepare(in[0], in[1]);
        out[0].resize(broadcast.outShape);
        byte[] a = in[0].b;
        byte[] b = in[1].b;
        byte[] y = out[0].b;
        int n = broadcast.size;
        boolean same = broadcast.same;
        int[] ia = broadcast.indexA;
        int[] ib = broadcast.indexB;
        for (int k = 0; k < n; k++) {
            byte va = a[same ? k : ia[k]];
            byte vb = b[same ? k : ib[k]];
            y[k] = maximum ? (va > vb ? va : vb) : (va < vb ? va : vb);
        }
    }
}
