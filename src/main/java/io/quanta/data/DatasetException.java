package io.quanta.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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

    /**
     * "{file}: cannot read: {why}", the I/O failure said in words: {@code IOException.toString()} would show the
     * Java class (java.nio.file.AccessDeniedException: ...), and some carry no message at all.
     */
    public static DatasetException cannotRead(Path file, IOException e) {
        return of(file, "cannot read: " + reason(e), e);
    }

    /** An I/O failure in words, without Java class names. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : m;
    }
}
