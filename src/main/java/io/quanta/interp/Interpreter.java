package io.quanta.interp;

import io.quanta.graph.DataType;
import io.quanta.graph.GraphValidator;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.KernelFactory;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.UnsupportedOpException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one subgraph with a kernel set. Preparation happens once: every op gets its kernel (which may
 * pre-pack weights), constants are decoded once, and every tensor gets a reusable value. Each
 * {@link #invoke()} then runs the ops in order without allocating, unless a shape grows.
 *
 * <p>Variable tensors (recurrent state) keep their value across invocations, as in TFLite, until
 * {@link #resetVariables()}.
 */
public final class Interpreter {
    /** Sees each op's outputs right after it ran: how calibration records ranges. */
    @FunctionalInterface
    public interface OpObserver {
        void afterOp(int opIndex, Operator op, TensorValue[] outputs);
    }

    private final Subgraph graph;
    private final TensorValue[] values;
    private final Kernel[] kernels;
    private final TensorValue[][] opInputs;
    private final TensorValue[][] opOutputs;

    /** An interpreter whose tensors may take up to {@link GraphValidator#memoryLimit()}. */
    public Interpreter(Subgraph graph, KernelRegistry registry) {
        this(graph, registry, GraphValidator.memoryLimit());
    }

    /**
     * Checks the graph's indices and shapes and that its tensors fit in {@code memoryLimit} bytes before
     * allocating anything; a graph that does not is refused with a {@link ModelInvalidException}.
     */
    public Interpreter(Subgraph graph, KernelRegistry registry, long memoryLimit) {
        GraphValidator.checkStructure(graph, "");
        GraphValidator.checkMemory(graph, memoryLimit);
        this.graph = graph;
        List<Tensor> tensors = graph.tensors();
        this.values = new TensorValue[tensors.size()];
        List<String> problems = new ArrayList<>();
        for (int t = 0; t < tensors.size(); t++) {
            try {
                values[t] = initialValue(tensors.get(t));
            } catch (UnsupportedOperationException e) {
                values[t] = null; // only an error if an op actually touches it (checked below)
            }
        }
        List<Operator> ops = graph.operators();
        this.kernels = new Kernel[ops.size()];
        this.opInputs = new TensorValue[ops.size()][];
        this.opOutputs = new TensorValue[ops.size()][];
        for (int n = 0; n < ops.size(); n++) {
            Operator op = ops.get(n);
            OpContext ctx = new OpContext(graph, op, n);
            try {
                opInputs[n] = bind(ctx, op.inputs());
                opOutputs[n] = bind(ctx, op.outputs());
                KernelFactory factory = registry.lookup(graph, op);
                if (factory == null) {
                    throw ctx.fail(
                            "no " + KernelRegistry.flavorOf(graph, op).name().toLowerCase()
                                    + " kernel for this op (version " + op.version() + ")");
                }
                kernels[n] = factory.create(ctx);
            } catch (UnsupportedOpException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedOpException(
                    "unsupported op" + (problems.size() > 1 ? "s" : "") + ": " + String.join("; ", problems));
        }
    }

    private TensorValue[] bind(OpContext ctx, int[] indices) {
        TensorValue[] bound = new TensorValue[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int t = indices[k];
            if (t < 0) {
                continue; // omitted optional input
            }
            if (values[t] == null) {
                Tensor tensor = graph.tensor(t);
                throw ctx.fail("tensor " + t + " '" + tensor.name() + "' has type " + tensor.type()
                        + ", which is not supported at run time");
            }
            bound[k] = values[t];
        }
        return bound;
    }

    private static TensorValue initialValue(Tensor t) {
        int[] shape = t.shape();
        TensorValue v = new TensorValue(t.type(), shape);
        if (t.isConstant()) {
            fill(v, t.data());
        }
        return v;
    }

    private static void fill(TensorValue v, byte[] data) {
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int n = Math.min(v.size(), data.length / Math.max(1, v.type.byteSize()));
        switch (v.type) {
            case FLOAT32 -> bb.asFloatBuffer().get(v.f, 0, n);
            case INT32, UINT32 -> bb.asIntBuffer().get(v.i, 0, n);
            case INT8, UINT8, BOOL -> System.arraycopy(data, 0, v.b, 0, n);
            case INT64, UINT64 -> bb.asLongBuffer().get(v.l, 0, n);
            default -> bb.asShortBuffer().get(v.s, 0, n);
        }
    }

    public Subgraph graph() {
        return graph;
    }

    public int inputCount() {
        return graph.inputs().length;
    }

    public int outputCount() {
        return graph.outputs().length;
    }

    /** The value of model input i: fill it (and resize it, for a dynamic shape) before {@link #invoke()}. */
    public TensorValue input(int i) {
        return values[graph.inputs()[i]];
    }

    /** The value of model output i after {@link #invoke()}; overwritten by the next invocation. */
    public TensorValue output(int i) {
        return values[graph.outputs()[i]];
    }

    /** The current value of any tensor (intermediate values are overwritten by later invocations). */
    public TensorValue value(int tensorIndex) {
        return values[tensorIndex];
    }

    public void invoke() {
        invoke(null);
    }

    public void invoke(OpObserver observer) {
        for (int n = 0; n < kernels.length; n++) {
            kernels[n].invoke(opInputs[n], opOutputs[n]);
            if (observer != null) {
                observer.afterOp(n, graph.operators().get(n), opOutputs[n]);
            }
        }
    }

    /** Runs ops 0 to {@code lastOp} only: enough for the values up to that op's outputs (later values go stale). */
    public void invokeThrough(int lastOp) {
        for (int n = 0; n <= lastOp && n < kernels.length; n++) {
            kernels[n].invoke(opInputs[n], opOutputs[n]);
        }
    }

    /** Puts every variable tensor back to its initial value (its constant data, else zeros). */
    public void resetVariables() {
        for (int t = 0; t < values.length; t++) {
            Tensor tensor = graph.tensor(t);
            if (tensor.isVariable() && values[t] != null) {
                values[t].resize(tensor.shape());
                if (tensor.isConstant()) {
                    fill(values[t], tensor.data());
                } else {
                    values[t].clear();
                }
            }
        }
    }

    /** True when every input of the model is of the given type (a convenience for callers feeding data). */
    public boolean inputsAre(DataType type) {
        for (int t : graph.inputs()) {
            if (graph.tensor(t).type() != type) {
                return false;
            }
        }
        return true;
    }
}
