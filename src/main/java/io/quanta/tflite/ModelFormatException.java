package io.quanta.tflite;

/**
 * A .tflite file that cannot be read (malformed, truncated, hostile, or using a feature Quanta does not
 * support), or a model that cannot be written as one. The message names what is wrong and where.
 */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
