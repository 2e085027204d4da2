package io.quanta.quantize;

import io.quanta.graph.Model;
import io.quanta.graph.Operator;
import io.quanta.graph.SignatureDef;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drops the tensors no op, graph input/output or signature refers to any more (the float weights a
 * quantized op replaced), so that the written file carries no dead buffers.
 */
final class GraphCompaction {
    private GraphCompaction() {}

    /** Compacts subgraph {@code index} of the model in place, remapping its signature defs. */
    static void compact(Model model, int index) {
        Subgraph g = model.subgraphs().get(index);
        int n = g.tensors().size();
        boolean[] used = new boolean[n];
        for (Operator op : g.operators()) {
            mark(used, op.inputs());
            mark(used, op.outputs());
            mark(used, op.intermediates());
        }
        mark(used, g.inputs());
        mark(used, g.outputs());
        for (SignatureDef s : model.signatureDefs()) {
            if (s.subgraphIndex() == index) {
                s.inputs().values().forEach(t -> mark(used, new int[] {t}));
                s.outputs().values().forEach(t -> mark(used, new int[] {t}));
            }
        }
        int[] remap = new int[n];
        Arrays.fill(remap, -1);
        List<Tensor> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (used[i]) {
                remap[i] = kept.size();
                kept.add(g.tensors().get(i));
            }
        }
        List<Operator> ops = new ArrayList<>();
        for (Operator op : g.operators()) {
            ops.add(op.inputs(apply(remap, op.inputs()))
                    .outputs(apply(remap, op.outputs()))
                    .intermediates(apply(remap, op.intermediates())));
        }
        model.subgraphs()
                .set(index, new Subgraph(g.name(), kept, ops, apply(remap, g.inputs()), apply(remap, g.outputs())));
        for (int s = 0; s < model.signatureDefs().size(); s++) {
            SignatureDef def = model.signatureDefs().get(s);
            if (def.subgraphIndex() == index) {
                model.signatureDefs()
                        .set(
                                s,
                                new SignatureDef(
                                        def.key(), index, apply(remap, def.inputs()), apply(remap, def.outputs())));
            }
        }
    }

    private static void mark(boolean[] used, int[] indices) {
        for (int t : indices) {
            if (t >= 0) {
                used[t] = true;
            }
        }
    }

    private static int[] apply(int[] remap, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = indices[i] < 0 ? indices[i] : remap[indices[i]];
        }
        return out;
    }

    private static Map<String, Integer> apply(int[] remap, Map<String, Integer> byName) {
        Map<String, Integer> out = new LinkedHashMap<>();
        byName.forEach((k, v) -> out.put(k, v < 0 ? v : remap[v]));
        return out;
    }
}
