package io.quanta.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The local files of one quantization run (see {@link PipelineSettings} for how it runs).
 *
 * @param model        the float .tflite file
 * @param datasets     calibration data: one path (image folder, .npz) or one file per model input (.npy, IDX)
 * @param labels       labels of the calibration data (used when evaluation falls back to it), or null
 * @param output       where the quantized .tflite goes
 * @param evalDatasets evaluation data; empty evaluates on the calibration dataset (all of it, not only the
 *                     calibration samples)
 * @param evalLabels   labels of the evaluation data; null takes {@code labels} when evaluating on the calibration
 *                     dataset
 * @param report       where the JSON report goes; null writes it beside the output ({@link #reportPath()})
 */
public record PipelineFiles(
        Path model,
        List<Path> datasets,
        Path labels,
        Path output,
        List<Path> evalDatasets,
        Path evalLabels,
        Path report) {

    public PipelineFiles {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(output, "output");
        datasets = datasets == null ? List.of() : List.copyOf(datasets);
        evalDatasets = evalDatasets == null ? List.of() : List.copyOf(evalDatasets);
    }

    /** The report file: as given, or the output's name with ".tflite" replaced by ".report.json". */
    public Path reportPath() {
        if (report != null) {
            return report;
        }
        String name = output.getFileName().toString();
        String stem = name.endsWith(".tflite") ? name.substring(0, name.length() - ".tflite".length()) : name;
        return output.resolveSibling(stem + ".report.json");
    }
}
