package io.quanta.graph;

import java.util.Map;

/**
 * A named entry point of the model: maps user-facing names to tensor indices of one subgraph.
 * Maps keep the order of the file.
 */
public record SignatureDef(String key, int subgraphIndex, Map<String, Integer> inputs, Map<String, Integer> outputs) {
    public SignatureDef {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }
}
