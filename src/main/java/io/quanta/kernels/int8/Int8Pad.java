package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * PAD and PADV2 on int8: the padding is the output's zero point (real 0) for PAD, the constant-values
 * input for PADV2. Paddings are a constant [rank, 2] tensor (int32 or int64), up to 6 dimensions.
 */
final class Int8Pad implements Kernel {
    private final int[] before;
    private final int[] after;
    private final boolean constantValueInput;
    private final byte fixedPadValue;
    private int[] outShape = new int[0];
    private final int[] index;

    static Kernel pad(OpContext op) {
        return new Int8Pad(op, false);
    }

    static Kernel padV2(OpContext op) {
        return new Int8Pad(op, true);
    }

    private Int8Pad(OpContext op, boolean v2) {
        Tensor input = op.input(0);
        Tensor output = op.output(0);
        Quant.requireInt8(op, input, "input");
        Quant.requireInt8(op, output, "output");
        Tensor paddings = op.input(1);
        if (paddings.type() != DataType.INT32 && paddings.type() != DataType.INT64) {
            throw op.fail("paddings '" + paddings.name() + "' must be INT32 or INT64, found " + paddings.type());
        }
        int[] p = op.constInts(1);
        int rank = input.rank();
        if (p.length != 2 * rank) {
            throw op.fail("paddings '" + paddings.name() + "' has " + p.length + " values for a " + rank + "-D input");
        }
        before = new int[rank];
        after = new int[rank];
        for (int d = 0; d < rank; d++) {
            before[d] = p[2 * d];
            after[d] = p[2 * d + 1];
            if (before[d] < 0 || after[d] < 0) {
                throw op.fail("negative padding " + Arrays.toString(p) + " is not supported");
            }
        }
        constantValueInput = v2 && op.hasInput(2);
        if (constantValueInput) {
            Quant.requireInt8(op, op.input(2), "constant value");
        }
        fixedPadValue = (byte) Quant.zeroPoint(output);
        index = new int[rank];
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        int rank = input.rank();
        if (outShape.length != rank) {
            outShape = new int[rank];
        }
        for (int d = 0; d < rank; d++) {
            outShape[d] = before[d] + input.dim(d) + after[d];
        }
        TensorValue output = out[0];
        output.resize(outShape);
        byte pad = constantValueInput ? in[2].b[0] : fixedPadValue;
        byte[] y = output.b;
        Arrays.fill(y, 0, output.size(), pad);
        if (input.size() == 0) {
            return;
        }
        // Copy input rows (last dimension) into place.
        byte[] x = input.b;
        int last = rank - 1;
        int rowLength = rank == 0 ? 1 : input.dim(last);
        int rows = input.size() / Math.max(rowLength, 1);
        Arrays.fill(index, 0);
        for (int r = 0; r < rows; r++) {
            int dst = 0;
            for (int d = 0; d < rank; d++) {
                dst = dst * outShape[d] + index[d] + before[d];
            }
            System.arraycopy(x, r * rowLength, y, dst, rowLength);
            for (int d = last - 1; d >= 0; d--) {
                if (++index[d] < input.dim(d)) {
                    break;
                }
                index[d] = 0;
            }
        }
    }
}
