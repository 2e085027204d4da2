package io.quanta.graph;

/**
 * A model that reads but cannot be run as given: an op whose tensors contradict its rule, an index out of
 * range, a shape too large for the memory allowed. The user's input is at fault, not Quanta; the message names
 * the op, the tensor and the number, on one line. An {@link IllegalArgumentException}: the model is the
 * argument at fault.
 */
public class ModelInvalidException extends IllegalArgumentException {
    public ModelInvalidException(String message) {
        super(message);
    }

    public ModelInvalidException(String message, Throwable cause) {
        super(message, cause);
    }
}
