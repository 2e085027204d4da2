package io.quanta.kernels.int8;

import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * The broadcasting loop shared by the int8 binary element-wise ops (ADD, SUB, MUL, MAXIMUM, MINIMUM): each op
 * supplies only the value of one output element from its two input bytes.
 */
final class ElementwiseBinary implements Kernel {
    /** One output element from one element of each input. */
    @FunctionalInterface
    interface Element {
        byte apply(int a, int b);
    }

    private final Element element;
    private final Broadcast broadcast;

    ElementwiseBinary(String opName, Element element) {
        this.element = element;
        this.broadcast = new Broadcast(opName);
    }

    /** Fails unless both inputs and the output are int8. */
    static void requireInt8(OpContext ctx) {
        Quant.requireInt8(ctx, ctx.input(0), "input 1");
        Quant.requireInt8(ctx, ctx.input(1), "input 2");
        Quant.requireInt8(ctx, ctx.output(0), "output");
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        broadcast.prepare(in[0], in[1]);
        out[0].resize(broadcast.outShape);
        byte[] a = in[0].b;
        byte[] b = in[1].b;
        byte[] y = out[0].b;
        int n = broadcast.size;
        Element f = element;
        if (broadcast.same) {
            for (int k = 0; k < n; k++) {
                y[k] = f.apply(a[k], b[k]);
            }
        } else {
            int[] ia = broadcast.indexA;
            int[] ib = broadcast.indexB;
            for (int k = 0; k < n; k++) {
                y[k] = f.apply(a[ia[k]], b[ib[k]]);
            }
        }
    }
}
