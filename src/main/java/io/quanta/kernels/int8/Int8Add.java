package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/** ADD, int8 with broadcasting: both inputs rescaled to a common scale (see {@link AddSubParams}). */
final class Int8Add implements Kernel {
    private final AddSubParams p;
    private final Broadcast broadcast = new Broadcast("ADD");

    static Kernel create(OpContext op) {
        return new Int8Add(AddSubParams.of(op));
    }

    private Int8Add(AddSubParams p) {
        this.p = p;
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        broadcast.prepare(in[0], in[1]);
        out[0].resize(broadcast.outShape);
        byte[] a = in[0].b;
        byte[] b = in[1].b;
        byte[] y = out[0].b;
        int n = broadcast.size;
        if (broadcast.same) {
            for (int k = 0; k < n; k++) {
                y[k] = p.output(p.scaled1(a[k]) + p.scaled2(b[k]));
            }
        } else {
            int[] ia = broadcast.indexA;
            int[] ib = broadcast.indexB;
            for (int k = 0; k < n; k++) {
                y[k] = p.output(p.scaled1(a[ia[k]]) + p.scaled2(b[ib[k]]));
            }
        }
    }
}
