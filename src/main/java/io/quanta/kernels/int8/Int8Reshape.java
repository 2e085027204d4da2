package io.quanta.kernels.int8;

import io.quanta.graph.Shapes;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * RESHAPE, SQUEEZE and EXPAND_DIMS of an int8 tensor: a byte copy into the output's static shape (a
 * single unknown dimension, -1 in the shape signature, is inferred from the element count).
 */
final class Int8Reshape implements Kernel {
    private final int[] target;
    private final int unknown;
    private final int[] shape;
    private final String name;

    static Kernel create(OpContext op) {
        return new Int8Reshape(op);
    }

    private Int8Reshape(OpContext op) {
        Tensor input = op.input(0);
        Tensor output = op.output(0);
        Quant.requireInt8(op, input, "input");
        Quant.requireInt8(op, output, "output");
        name = op.op().displayName() + " (node " + op.index() + ")";
        int[] signature = output.shapeSignature();
        target = signature != null && signature.length == output.rank() ? signature : output.shape();
        int u = -1;
        for (int d = 0; d < target.length; d++) {
            if (target[d] < 0) {
                if (u >= 0) {
                    throw op.fail("output '" + output.name() + "' has more than one unknown dimension");
                }
                u = d;
            }
        }
        unknown = u;
        shape = target.clone();
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int n = input.size();
        if (unknown >= 0) {
            int known = 1;
            for (int d = 0; d < target.length; d++) {
                if (d != unknown) {
                    known *= target[d];
                }
            }
            shape[unknown] = known == 0 ? 0 : n / known;
        }
        if (Shapes.size(shape) != n) {
            throw new IllegalStateException(name + ": cannot reshape " + n + " elements into " + Arrays.toString(shape));
        }
        out[0].resize(shape);
        System.arraycopy(input.b, 0, out[0].b, 0, n);
    }
}
