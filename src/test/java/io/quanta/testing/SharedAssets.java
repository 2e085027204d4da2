package io.quanta.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Where the real models and data live: ../shared beside the checkout (system property quanta.shared). */
public final class SharedAssets {
    private SharedAssets() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("quanta.shared", "../shared"))
                .toAbsolutePath()
                .normalize();
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

    /**
     * What int8-only mode does with each shared float model (with a float or an int8 interface alike): the ops it
     * refuses, in model order; an empty list means it quantizes every op. A model missing here fails the tests that
     * read this table, so a new shared model needs a stated outcome.
     */
    public static final Map<String, List<String>> INT8_ONLY_REFUSED_OPS = Map.ofEntries(
            // Its uint8 input is CAST to float32 first, and CAST has no int8 kernel.
            Map.entry("autokeras_mnist_cnn_u8in_float.tflite", List.of("CAST")),
            Map.entry("ethosu85_mnist_cnn_float.tflite", List.of()),
            Map.entry("mpromonet_mnist_mlp_tanh_float.tflite", List.of()),
            Map.entry("tflm_hello_world_float.tflite", List.of()),
            Map.entry("tflm_mnist_lstm_float.tflite", List.of()),
            Map.entry("tfls_dilated_conv_float.tflite", List.of()),
            Map.entry("tfls_mobilenet_v1_0.25_224_float.tflite", List.of()),
            Map.entry("tfls_movie_review_textcls_float.tflite", List.of()),
            Map.entry("tiny_ic_resnet8_float.tflite", List.of()),
            Map.entry("tiny_ic_resnet8_large_float.tflite", List.of()),
            Map.entry("tiny_kws_dscnn_hybrid_float.tflite", List.of()),
            Map.entry("tiny_vww_96_float.tflite", List.of()));

    /** The ops int8-only mode refuses in this shared float model (empty: it quantizes), from the table above. */
    public static List<String> int8OnlyRefusedOps(Path floatModel) {
        List<String> ops = INT8_ONLY_REFUSED_OPS.get(floatModel.getFileName().toString());
        if (ops == null) {
            throw new AssertionError(
                    floatModel.getFileName() + " has no int8-only outcome in SharedAssets.INT8_ONLY_REFUSED_OPS");
        }
        return ops;
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
