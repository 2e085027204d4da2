package io.quanta.data;

/**
 * How raw samples become model inputs: colour layout (images), whether an image may be resized to the
 * model's input height and width (bilinear, half-pixel centres as tf.image.resize), and the normalization
 * applied when the model input is float (or, for a quantized integer input, before quantizing).
 */
public record Preprocessing(ColorMode color, boolean resize, Normalization normalization) {
    /** Values as stored, images resized and colour-converted to fit. */
    public static final Preprocessing DEFAULT = new Preprocessing(ColorMode.AUTO, true, Normalization.NONE);

    public Preprocessing {
        color = color == null ? ColorMode.AUTO : color;
        normalization = normalization == null ? Normalization.NONE : normalization;
    }

    public static Preprocessing normalized(Normalization n) {
        return new Preprocessing(ColorMode.AUTO, true, n);
    }

    public Preprocessing withColor(ColorMode c) {
        return new Preprocessing(c, resize, normalization);
    }

    public Preprocessing withResize(boolean r) {
        return new Preprocessing(color, r, normalization);
    }

    public Preprocessing withNormalization(Normalization n) {
        return new Preprocessing(color, resize, n);
    }
}
