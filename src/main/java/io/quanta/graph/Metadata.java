package io.quanta.graph;

/** A named metadata entry of the model (min runtime version, TFLite support metadata, …) with its raw bytes. */
public record Metadata(String name, byte[] data) {}
