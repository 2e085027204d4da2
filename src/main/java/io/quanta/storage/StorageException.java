package io.quanta.storage;

/**
 * A location that cannot be read or written. The message is for users: it names the location
 * (bucket and key, URL or file) and what went wrong, e.g. "expected vs actual" for a checksum.
 */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
