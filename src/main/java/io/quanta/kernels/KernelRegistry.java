package io.quanta.kernels;

import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which kernel runs which op. An op is {@link Flavor#QUANTIZED} when its first output is an integer
 * tensor with quantization parameters (int8, uint8, int16), else {@link Flavor#FLOAT}: so a float model
 * with int8 weights (dynamic-range) runs float kernels, and a mixed model picks per op.
 */
public final class KernelRegistry {
    public enum Flavor {
        FLOAT,
        QUANTIZED
    }

    private final Map<OpType, KernelFactory> floatKernels = new EnumMap<>(OpType.class);
    private final Map<OpType, KernelFactory> quantizedKernels = new EnumMap<>(OpType.class);

    public KernelRegistry register(OpType type, Flavor flavor, KernelFactory factory) {
        (flavor == Flavor.FLOAT ? floatKernels : quantizedKernels).put(type, factory);
        return this;
    }

    /** Registers the same factory for both flavors (type-generic ops such as RESHAPE). */
    public KernelRegistry registerAny(OpType type, KernelFactory factory) {
        floatKernels.put(type, factory);
        quantizedKernels.put(type, factory);
        return this;
    }

    /** A registry holding this one's kernels, then {@code other}'s on top. */
    public KernelRegistry with(KernelRegistry other) {
        KernelRegistry r = new KernelRegistry();
        r.floatKernels.putAll(floatKernels);
        r.quantizedKernels.putAll(quantizedKernels);
        r.floatKernels.putAll(other.floatKernels);
        r.quantizedKernels.putAll(other.quantizedKernels);
        return r;
    }

    public static Flavor flavorOf(Subgraph graph, Operator op) {
        if (op.outputCount() == 0) {
            return Flavor.FLOAT;
        }
        Tensor out = graph.tensor(op.output(0));
        DataType t = out.type();
        boolean integer = t == DataType.INT8 || t == DataType.UINT8 || t == DataType.INT16;
        return integer && out.isQuantized() ? Flavor.QUANTIZED : Flavor.FLOAT;
    }

    /** The factory for this op, or null when none is registered. */
    public KernelFactory lookup(Subgraph graph, Operator op) {
        return (flavorOf(graph, op) == Flavor.FLOAT ? floatKernels : quantizedKernels).get(op.type());
    }

    public boolean supports(OpType type, Flavor flavor) {
        return (flavor == Flavor.FLOAT ? floatKernels : quantizedKernels).containsKey(type);
    }
}
