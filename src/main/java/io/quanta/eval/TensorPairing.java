package io.quanta.eval;

import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tensors of a quantized model can be compared with a float model's: quantized integer activations
 * (not constants) whose float counterpart is a float32 activation.
 */
public final class TensorPairing {
    private TensorPairing() {}

    /** True when tensor {@code t} of the quantized model is an integer activation with quantization. */
    public static boolean comparable(Subgraph quantized, int t) {
        Tensor q = quantized.tensor(t);
        return !q.isConstant()
                && q.isQuantized()
                && (q.type() == DataType.INT8 || q.type() == DataType.UINT8 || q.type() == DataType.INT16);
    }

    /** Keeps the given pairs (from the quantizer's record of sources) that can be compared. */
    public static List<TensorPair> filter(Subgraph floatGraph, Subgraph quantized, List<TensorPair> candidates) {
        List<TensorPair> kept = new ArrayList<>();
        for (TensorPair p : candidates) {
            if (p.floatIndex() < 0 || p.floatIndex() >= floatGraph.tensors().size()) {
                continue;
            }
            Tensor f = floatGraph.tensor(p.floatIndex());
            if (comparable(quantized, p.quantizedIndex()) && f.type() == DataType.FLOAT32 && !f.isConstant()) {
                kept.add(p);
            }
        }
        return kept;
    }

    /**
     * Pairs by tensor name, for two model files with no record of how one came from the other. A quantized
     * name matches a float tensor of the same name, or one whose converter-fused name ("a;b;c") starts with
     * it, since the quantizer keeps only the first part of fused names.
     */
    public static List<TensorPair> byName(Subgraph floatGraph, Subgraph quantized) {
        Map<String, Integer> exact = new HashMap<>();
        Map<String, Integer> firstPart = new HashMap<>();
        for (int i = 0; i < floatGraph.tensors().size(); i++) {
            Tensor f = floatGraph.tensor(i);
            if (f.type() != DataType.FLOAT32 || f.isConstant()) {
                continue;
            }
            exact.putIfAbsent(f.name(), i);
            int semi = f.name().indexOf(';');
            if (semi > 0) {
                firstPart.putIfAbsent(f.name().substring(0, semi), i);
            }
        }
        List<TensorPair> pairs = new ArrayList<>();
        for (int t = 0; t < quantized.tensors().size(); t++) {
            if (!comparable(quantized, t)) {
                continue;
            }
            String name = quantized.tensor(t).name();
            Integer f = exact.get(name);
            if (f == null) {
                f = firstPart.get(name);
            }
            if (f != null) {
                pairs.add(new TensorPair(t, f));
            }
        }
        return pairs;
    }
}
