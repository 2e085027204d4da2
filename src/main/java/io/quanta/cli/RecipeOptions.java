package io.quanta.cli;

import io.quanta.quantize.recipes.Recipes;
import picocli.CommandLine.Option;

/** {@code --equalize} and {@code --bias-correction}: the quantization recipes, for every command that quantizes. */
final class RecipeOptions {
    @Option(
            names = "--equalize",
            description = "Cross-layer equalization before calibrating: balance the channel ranges of consecutive "
                    + "conv/depthwise/fully-connected layers joined by ReLU or nothing (the float function is kept; "
                    + "ReLU6 pairs are skipped). Fails on a model without such a pair.")
    boolean equalize;

    @Option(
            names = "--bias-correction",
            description =
                    "After quantizing, subtract each conv/depthwise/fully-connected layer's mean output error per "
                            + "channel, measured on the calibration samples, from its int32 bias (layer by layer).")
    boolean biasCorrection;

    Recipes get() {
        return new Recipes(equalize, biasCorrection);
    }
}
