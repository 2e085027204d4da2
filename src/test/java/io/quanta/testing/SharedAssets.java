package io.quanta.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where the real models and data live: ../shared beside the checkout (system property quanta.shared). */
public final class SharedAssets {
    private SharedAssets() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("quanta.shared", "../shared")).toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("models"))) {
            throw new IllegalStateException("shared assets not found at " + p + " (set -Dquanta.shared)");
        }
        return p;
    }

    public static Path floatModel(String name) {
        return root().resolve("models/float").resolve(name);
    }

    public static Path int8RefModel(String name) {
        return root().resolve("models/int8_ref").resolve(name);
    }

    public static Path data(String relative) {
        return root().resolve("data").resolve(relative);
    }

    /** Every model file under models/float, sorted by name. */
    public static Stream<Path> floatModels() {
        return list(root().resolve("models/float"));
    }

    /** Every model file under models/ (float and int8_ref), sorted. */
    public static Stream<Path> allModels() {
        return Stream.concat(floatModels(), list(root().resolve("models/int8_ref")));
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.toString().endsWith(".tflite")).sorted().toList().stream();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
