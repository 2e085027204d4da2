package io.quanta.cli;

import io.quanta.data.ColorMode;
import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The dataset preparation flags shared by quantize and eval. */
final class PreprocessingOptions {
    @Option(names = "--normalize", paramLabel = "EXPR", defaultValue = "none",
            description = "How raw values become float inputs: none, x/255, (x-127.5)/127.5, x/S, (x-M)/S or "
                    + "mean=M[,M,M];std=S[,S,S] (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(names = "--color", paramLabel = "MODE", defaultValue = "auto",
            description = "Image colour layout: rgb, grayscale, or auto (what the model input's channels ask for).")
    String color;

    @Option(names = "--no-resize", description = "Fail on images whose size differs from the model input instead of "
            + "resizing them (bilinear).")
    boolean noResize;

    Preprocessing toPreprocessing() {
        Normalization n;
        try {
            n = Normalization.parse(normalize);
        } catch (IllegalArgumentException e) {
            throw new UserException("--normalize: " + e.getMessage());
        }
        ColorMode c = switch (color.toLowerCase(Locale.ROOT)) {
            case "auto" -> ColorMode.AUTO;
            case "rgb" -> ColorMode.RGB;
            case "grayscale", "greyscale", "gray", "grey" -> ColorMode.GRAYSCALE;
            default -> throw new UserException("--color: expected rgb, grayscale or auto, found '" + color + "'");
        };
        return new Preprocessing(c, !noResize, n);
    }
}
