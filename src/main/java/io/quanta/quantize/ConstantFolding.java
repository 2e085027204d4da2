package io.quanta.quantize;

import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import java.util.Iterator;

/** Turns DEQUANTIZE ops of constants (float16 or int8 weights) into plain float32 constants. */
final class ConstantFolding {
    private ConstantFolding() {}

    static void foldConstantDequantize(Subgraph g) {
        Iterator<Operator> it = g.operators().iterator();
        while (it.hasNext()) {
            Operator op = it.next();
            if (op.type() != OpType.DEQUANTIZE || op.inputCount() != 1) continue;
            Tensor in = g.tensor(op.input(0));
            Tensor out = g.tensor(op.output(0));
            if (!Constants.readableAsFloats(in) || out.type() != DataType.FLOAT32 || isGraphOutput(g, op.output(0))) {
                continue;
            }
            out.data(TensorData.of(Constants.floats(in))).quant(null);
            it.remove();
        }
    }

    private static boolean isGraphOutput(Subgraph g, int t) {
        for (int o : g.outputs()) {
            if (o == t) return true;
        }
        return false;
    }
}
