package io.quanta.data;

import java.io.IOException;

/** A file that is not a .npy array this project can read; the message says what is wrong, and where. */
public class NpyFormatException extends IOException {
    public NpyFormatException(String message) {
        super(message);
    }
}
