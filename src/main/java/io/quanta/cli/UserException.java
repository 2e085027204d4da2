package io.quanta.cli;

/**
 * A problem with what the user asked for or gave (a file, a flag, a shape), as opposed to a bug: reported as
 * one line and exit code 2, without a stack trace.
 */
public class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
