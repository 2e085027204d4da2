package io.quanta.cli;

import io.quanta.data.ColorMode;
import io.quanta.data.DatasetFormat;
import io.quanta.data.DatasetReading;
import io.quanta.data.Normalization;
import io.quanta.data.Preprocessing;
import io.quanta.data.Resize;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The dataset preparation flags shared by quantize, eval and analyze. */
final class PreprocessingOptions {
    @Option(
            names = "--normalize",
            paramLabel = "EXPR",
            defaultValue = "none",
            description = "How raw values become float inputs: none, x/255, (x-127.5)/127.5, x/S, (x-M)/S or "
                    + "mean=M[,M,M];std=S[,S,S] (default: ${DEFAULT-VALUE}).")
    String normalize;

    @Option(
            names = "--color",
            paramLabel = "MODE",
            defaultValue = "auto",
            description = "Image colour layout: rgb, grayscale, or auto (what the model input's channels ask for).")
    String color;

    @Option(
            names = "--resize",
            description =
                    "Also resize (bilinear) and colour-convert .npy, .npz and IDX arrays whose samples differ from "
                            + "the model input; without it such arrays are refused. Image files are resized by default.")
    boolean resize;

    @Option(
            names = "--no-resize",
            description = "Fail on images whose size differs from the model input instead of resizing them.")
    boolean noResize;

    @Option(
            names = "--dataset-format",
            paramLabel = "FORMAT",
            defaultValue = "auto",
            description = "How dataset files are read: images, npy (.npy, .npz or IDX arrays), wav (16-bit PCM), or "
                    + "auto (by the paths; default).")
    String format;

    @Option(
            names = "--labels-from-folders",
            description = "The dataset folder holds one folder per class (as "
                    + "torchvision's ImageFolder): labels are the class indices, classes the sorted folder names, or the lines "
                    + "of --labels / --eval-labels when given (line i = class i).")
    boolean labelsFromFolders;

    @Option(
            names = "--wav-hop",
            paramLabel = "N",
            defaultValue = "0",
            description = "WAV: cut each file into windows of the model's input length starting every N samples; 0 "
                    + "takes one sample per file, zero-padded or truncated (default: ${DEFAULT-VALUE}).")
    int wavHop;

    @Option(
            names = "--wav-sample-rate",
            paramLabel = "HZ",
            defaultValue = "0",
            description = "WAV: resample every file to HZ first (linear interpolation); 0 keeps the files' own rate, "
                    + "which must then be the same for all (default: ${DEFAULT-VALUE}).")
    int wavSampleRate;

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
        DatasetFormat f = QuantizeCommand.parseEnum(DatasetFormat.class, "--dataset-format", format);
        if (wavHop < 0 || wavSampleRate < 0) {
            throw new UserException((wavHop < 0 ? "--wav-hop" : "--wav-sample-rate") + " must be 0 or positive");
        }
        if (resize && noResize) {
            throw new UserException("--resize and --no-resize contradict each other: give one");
        }
        Resize r = resize ? Resize.ALL : noResize ? Resize.OFF : Resize.IMAGES;
        return new Preprocessing(c, r, n, new DatasetReading(f, labelsFromFolders, wavHop, wavSampleRate));
    }
}
