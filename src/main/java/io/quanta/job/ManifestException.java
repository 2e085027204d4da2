package io.quanta.job;

/** A QuantizationJob manifest that cannot be read or is not one: a user error with a one-line message. */
public final class ManifestException extends RuntimeException {
    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
