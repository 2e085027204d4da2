package io.quanta.quantize;

import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Shared editing helpers of the quantizers: new tensors derived from existing ones, QUANTIZE/DEQUANTIZE ops,
 * and the notes (role, range) from which the report is built.
 */
final class GraphEdit {
    static final int QUANTIZE_CODE = 114;
    static final int DEQUANTIZE_CODE = 6;

    record Note(TensorReport.Role role, Range range, int sourceIndex) {}

    final Subgraph g;
    /** Notes by tensor identity: indices change when the graph is compacted, tensor objects do not. */
    final Map<Tensor, Note> notes = new IdentityHashMap<>();

    GraphEdit(Subgraph g) {
        this.g = g;
    }

    /** Adds an activation tensor shaped like {@code like}, with another name, type and parameters. */
    int addLike(Tensor like, String name, DataType type, QuantParams quant) {
        Tensor t = new Tensor(name, type, like.shape())
                .shapeSignature(like.shapeSignature())
                .quant(quant);
        return g.addTensor(t);
    }

    /** Adds a constant tensor. */
    int addConstant(String name, DataType type, int[] shape, byte[] data, QuantParams quant) {
        return g.addTensor(new Tensor(name, type, shape).data(data).quant(quant));
    }

    static Operator quantizeOp(int from, int to) {
        return new Operator(OpType.QUANTIZE, QUANTIZE_CODE, 1, new int[] {from}, new int[] {to}, null);
    }

    static Operator dequantizeOp(int from, int to) {
        return new Operator(OpType.DEQUANTIZE, DEQUANTIZE_CODE, 1, new int[] {from}, new int[] {to}, null);
    }

    /** Records what a tensor of the output is; {@code source} is the source tensor whose value it carries. */
    void note(int tensor, TensorReport.Role role, Range range, int source) {
        notes.put(g.tensor(tensor), new Note(role, range, source));
    }
}
