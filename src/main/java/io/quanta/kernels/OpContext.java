package io.quanta.kernels;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;

/**
 * What a {@link KernelFactory} sees of its op at preparation time: the operator, its index, and the
 * static facts of its tensors (types, shapes, quantization, constant data).
 */
public record OpContext(Subgraph graph, Operator op, int index) {

    public int inputCount() {
        return op.inputCount();
    }

    /** True when optional input i is present (TFLite marks an omitted one with -1). */
    public boolean hasInput(int i) {
        return op.input(i) >= 0;
    }

    public Tensor input(int i) {
        int t = op.input(i);
        if (t < 0) {
            throw fail("input " + i + " is missing");
        }
        return graph.tensor(t);
    }

    public Tensor output(int i) {
        return graph.tensor(op.output(i));
    }

    public <T extends OpOptions> T options(Class<T> kind) {
        if (!kind.isInstance(op.options())) {
            throw fail("has no " + kind.getSimpleName() + " options");
        }
        return kind.cast(op.options());
    }

    /** Constant input i as floats (float32, float16 or integers widened); fails if it is not constant. */
    public float[] constFloats(int i) {
        Tensor t = input(i);
        if (!t.isConstant()) {
            throw fail("input " + i + " (" + t.name() + ") must be a constant");
        }
        return TensorData.asFloats(t);
    }

    /** Constant integer input i (int32/int64/int8/uint8); fails if it is not constant. */
    public int[] constInts(int i) {
        Tensor t = input(i);
        if (!t.isConstant()) {
            throw fail("input " + i + " (" + t.name() + ") must be a constant");
        }
        return TensorData.asInts(t);
    }

    /** An exception that names this op and its node index. */
    public UnsupportedOpException fail(String what) {
        return new UnsupportedOpException(op.displayName() + " (node " + index + "): " + what);
    }
}
