package io.quanta.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * The data a quantization run calibrates and evaluates on: {@code --dataset}, {@code --labels},
 * {@code --eval-dataset}, {@code --eval-labels} and {@code --eval-samples}, each a storage location, one definition
 * for {@code quantize} and {@code analyze}.
 */
final class DataOptions {
    @Option(
            names = "--dataset",
            paramLabel = "DATA",
            description = "Calibration data; repeat for a model with several inputs (one file per input, in order). "
                    + "A path, file://, https:// or s3:// location; a folder or an s3:// prefix (trailing '/') for "
                    + "images or WAV files. Also the evaluation data unless --eval-dataset.")
    List<String> datasets = List.of();

    @Option(
            names = "--labels",
            paramLabel = "L",
            description = "Labels of --dataset (IDX, text or CSV), for accuracy when evaluating on it.")
    String labels;

    @Option(
            names = "--eval-dataset",
            paramLabel = "DATA",
            description = "Evaluation data (default: the whole --dataset); repeat per model input.")
    List<String> evalDatasets = List.of();

    @Option(names = "--eval-labels", paramLabel = "L", description = "Labels of --eval-dataset.")
    String evalLabels;

    @Option(
            names = "--eval-samples",
            paramLabel = "N",
            defaultValue = "0",
            description = "Evaluate on N samples spread evenly over the evaluation data (all when absent).")
    int evalSamples;
}
