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
    /** Quantized ops whose first output is int16 (16x8) take these first, then the type-generic ones. */
    private final Map<OpType, KernelFactory> int16Kernels = new EnumMap<>(OpType.class);

    private final java.util.Set<OpType> generic = java.util.EnumSet.noneOf(OpType.class);

    public KernelRegistry register(OpType type, Flavor flavor, KernelFactory factory) {
        (flavor == Flavor.FLOAT ? floatKernels : quantizedKernels).put(type, factory);
        return this;
    }

    /** Registers the same factory for both flavors (type-generic ops such as RESHAPE). */
    public KernelRegistry registerAny(OpType type, KernelFactory factory) {
        floatKernels.put(type, factory);
        quantizedKernels.put(type, factory);
        generic.add(type);
        return this;
    }

    /** Registers the kernel of a quantized op whose first output is int16 (the 16x8 kernels). */
    public KernelRegistry registerInt16(OpType type, KernelFactory factory) {
        int16Kernels.put(type, factory);
        return this;
    }

    /** A registry holding this one's kernels, then {@code other}'s on top. */
    public KernelRegistry with(KernelRegistry other) {
        KernelRegistry r = new KernelRegistry();
        r.floatKernels.putAll(floatKernels);
        r.quantizedKernels.putAll(quantizedKernels);
        r.int16Kernels.putAll(int16Kernels);
        r.generic.addAll(generic);
        r.floatKernels.putAll(other.floatKernels);
        r.quantizedKernels.putAll(other.quantizedKernels);
        r.int16Kernels.putAll(other.int16Kernels);
        r.generic.addAll(other.generic);
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
        Flavor flavor = flavorOf(graph, op);
        if (flavor == Flavor.QUANTIZED && graph.tensor(op.output(0)).type() == DataType.INT16) {
            KernelFactory f = int16Kernels.get(op.type());
            if (f != null) return f;
            // Data movement serves any type: an int8 kernel registered over it must not catch int16 ops.
            if (generic.contains(op.type())) return floatKernels.get(op.type());
        }
        return (flavor == Flavor.FLOAT ? floatKernels : quantizedKernels).get(op.type());
    }

    public boolean supports(OpType type, Flavor flavor) {
        return (flavor == Flavor.FLOAT ? floatKernels : quantizedKernels).containsKey(type);
    }
}
