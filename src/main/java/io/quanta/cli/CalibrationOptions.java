package io.quanta.cli;

import picocli.CommandLine.Option;

/**
 * How calibration ranges are chosen and on which samples: {@code --calibration}, {@code --percentile},
 * {@code --samples} and {@code --sample-seed}, one definition for every command that calibrates.
 */
final class CalibrationOptions {
    @Option(
            names = "--calibration",
            paramLabel = "METHOD",
            defaultValue = "minmax",
            description = "How activation ranges are chosen: minmax (the converter's recipe), percentile, mse, entropy "
                    + "(KL, as TensorRT) or auto (per tensor, the method that does best at the output on held-back "
                    + "calibration samples) (default: ${DEFAULT-VALUE}).")
    String calibration;

    @Option(
            names = "--percentile",
            paramLabel = "P",
            defaultValue = "99.99",
            description = "The percentile of --calibration percentile, in (0, 100] (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "0",
            description = "Calibrate on N samples spread evenly over the dataset (all when absent).")
    int samples;

    @Option(
            names = "--sample-seed",
            paramLabel = "S",
            description = "Draw the N samples at random with this seed instead.")
    Long sampleSeed;
}
