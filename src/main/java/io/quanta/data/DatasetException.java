package io.quanta.data;

import java.nio.file.Path;

/** A dataset that cannot be read or does not fit the model: the message names the file and what was expected. */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "{file}: {what}". */
    public static DatasetException of(Path file, String what) {
        return new DatasetException(file + ": " + what);
    }

    public static DatasetException of(Path file, String what, Throwable cause) {
        return new DatasetException(file + ": " + what, cause);
    }
}
