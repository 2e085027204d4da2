package io.quanta.quantize;

import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.HashSet;
import java.util.Set;

/**
 * The TensorFlow converter names a fused tensor after every op folded into it ("a/Relu;a/BatchNorm;a/Conv2D"),
 * which can take more room than the tensor's parameters. Keeping the shortest unique prefix of those parts
 * keeps the names readable and the file lean.
 */
final class TensorNames {
    private TensorNames() {}

    static void shortenFusedNames(Subgraph g) {
        Set<String> taken = new HashSet<>();
        for (Tensor t : g.tensors()) {
            if (!t.name().contains(";")) taken.add(t.name());
        }
        for (Tensor t : g.tensors()) {
            String name = t.name();
            if (!name.contains(";")) continue;
            String[] parts = name.split(";");
            String chosen = name;
            StringBuilder prefix = new StringBuilder();
            for (String part : parts) {
                prefix.append(prefix.length() == 0 ? "" : ";").append(part);
                if (!taken.contains(prefix.toString())) {
                    chosen = prefix.toString();
                    break;
                }
            }
            taken.add(chosen);
            t.name(chosen);
        }
    }
}
