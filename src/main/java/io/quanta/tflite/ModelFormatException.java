package io.quanta.tflite;

import io.quanta.graph.ModelInvalidException;

/**
 * A .tflite file that cannot be read (malformed, truncated, hostile, or using a feature Quanta does not
 * support), or a model that cannot be written as one. One kind of {@link ModelInvalidException}: the user's
 * input is at fault. The message names what is wrong and where.
 */
public class ModelFormatException extends ModelInvalidException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
