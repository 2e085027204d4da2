package io.quanta.data;

/**
 * How dataset files become model inputs: how the files are read ({@link DatasetReading}: format, class
 * folders, WAV windows; {@code evalReading} for a separate evaluation set, by default the same), colour layout (images), which samples may be resized to the model's input height
 * and width ({@link Resize}; bilinear, half-pixel centres as tf.image.resize), and the normalization applied when the model
 * input is float (or, for a quantized integer input, before quantizing).
 */
public record Preprocessing(
        ColorMode color,
        Resize resize,
        Normalization normalization,
        DatasetReading reading,
        DatasetReading evalReading) {
    /** Values as stored, image files resized and colour-converted to fit, arrays taken only at the input's shape. */
    public static final Preprocessing DEFAULT = new Preprocessing(ColorMode.AUTO, Resize.IMAGES, Normalization.NONE);

    public Preprocessing {
        color = color == null ? ColorMode.AUTO : color;
        resize = resize == null ? Resize.IMAGES : resize;
        normalization = normalization == null ? Normalization.NONE : normalization;
        reading = reading == null ? DatasetReading.AUTO : reading;
        evalReading = evalReading == null ? reading : evalReading;
    }

    /** Files read as their paths say ({@link DatasetReading#AUTO}). */
    public Preprocessing(ColorMode color, Resize resize, Normalization normalization) {
        this(color, resize, normalization, DatasetReading.AUTO, null);
    }

    /** Calibration and evaluation files read the same way. */
    public Preprocessing(ColorMode color, Resize resize, Normalization normalization, DatasetReading reading) {
        this(color, resize, normalization, reading, null);
    }

    public static Preprocessing normalized(Normalization n) {
        return new Preprocessing(ColorMode.AUTO, Resize.IMAGES, n);
    }

    public Preprocessing withColor(ColorMode c) {
        return new Preprocessing(c, resize, normalization, reading, evalReading);
    }

    public Preprocessing withResize(Resize r) {
        return new Preprocessing(color, r, normalization, reading, evalReading);
    }

    public Preprocessing withNormalization(Normalization n) {
        return new Preprocessing(color, resize, n, reading, evalReading);
    }

    /** Calibration and evaluation files both read as {@code r}. */
    public Preprocessing withReading(DatasetReading r) {
        return new Preprocessing(color, resize, normalization, r, r);
    }

    /** Calibration files read as {@code calibration}, a separate evaluation set as {@code evaluation}. */
    public Preprocessing withReading(DatasetReading calibration, DatasetReading evaluation) {
        return new Preprocessing(color, resize, normalization, calibration, evaluation);
    }
}
