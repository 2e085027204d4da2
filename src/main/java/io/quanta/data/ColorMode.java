package io.quanta.data;

/** The colour layout images are converted to before they reach a model. */
public enum ColorMode {
    /** Whatever the model input's channel count asks for: 1 channel grayscale, 3 channels RGB. */
    AUTO,
    /** Three channels, R, G, B (grayscale images are replicated). */
    RGB,
    /** One luminance channel (0.299 R + 0.587 G + 0.114 B, ITU-R BT.601, as tf.image.rgb_to_grayscale). */
    GRAYSCALE
}
