package io.quanta.graph;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole model in memory: what a .tflite file holds, decoupled from the flatbuffer encoding so that later
 * stages can edit it freely. Subgraph 0 is the main graph.
 */
public final class Model {
    private int version;
    private String description;
    private final List<Subgraph> subgraphs;
    private final List<Metadata> metadata;
    private final List<SignatureDef> signatureDefs;

    public Model(
            int version,
            String description,
            List<Subgraph> subgraphs,
            List<Metadata> metadata,
            List<SignatureDef> signatureDefs) {
        this.version = version;
        this.description = description == null ? "" : description;
        this.subgraphs = new ArrayList<>(subgraphs);
        this.metadata = new ArrayList<>(metadata);
        this.signatureDefs = new ArrayList<>(signatureDefs);
    }

    /** A model with one subgraph, schema version 3, and no metadata. */
    public static Model of(Subgraph main) {
        return new Model(3, "quanta", List.of(main), List.of(), List.of());
    }

    public Model copy() {
        List<Subgraph> sgs = new ArrayList<>();
        subgraphs.forEach(s -> sgs.add(s.copy()));
        return new Model(version, description, sgs, metadata, signatureDefs);
    }

    public int version() {
        return version;
    }

    public Model version(int version) {
        this.version = version;
        return this;
    }

    public String description() {
        return description;
    }

    public Model description(String description) {
        this.description = description;
        return this;
    }

    public List<Subgraph> subgraphs() {
        return subgraphs;
    }

    public Subgraph mainGraph() {
        return subgraphs.get(0);
    }

    public List<Metadata> metadata() {
        return metadata;
    }

    public List<SignatureDef> signatureDefs() {
        return signatureDefs;
    }
}
