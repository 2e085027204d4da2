package io.quanta.fuzz;

import java.util.List;

/** The fuzz targets by name, with their seeds. */
final class Targets {
    private Targets() {}

    static FuzzTarget byName(String name) {
        return switch (name) {
            case "model" -> new ModelTarget();
            case "quantize" -> new QuantizeTarget();
            case "manifest" -> new ManifestTarget();
            case "npy", "npz", "idx", "image", "wav" -> new DatasetTarget(name);
            default -> throw new IllegalArgumentException("unknown fuzz target " + name);
        };
    }

    static List<Mutator.Seed> seeds(String name) {
        return switch (name) {
            case "model" -> ModelTarget.seeds();
            case "quantize" -> QuantizeTarget.seeds();
            case "manifest" -> ManifestTarget.seeds();
            case "npy", "npz", "idx", "image", "wav" -> DatasetTarget.seeds(name);
            default -> throw new IllegalArgumentException("unknown fuzz target " + name);
        };
    }
}
