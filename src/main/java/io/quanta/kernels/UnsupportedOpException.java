package io.quanta.kernels;

/** An op (or a variant of one: a type, an option, a shape) that no kernel here can run. */
public class UnsupportedOpException extends RuntimeException {
    public UnsupportedOpException(String message) {
        super(message);
    }
}
