package io.quanta.cli;

import io.quanta.graph.Model;
import io.quanta.tflite.ModelReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads model files for the commands, turning every problem with the file into a one-line user error. */
final class ModelFiles {
    private ModelFiles() {}

    static Model read(Path file) throws IOException {
        requireReadableFile(file, "model");
        try {
            return ModelReader.read(file);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Fails with a user error naming the file when it is missing, a directory or unreadable. */
    static void requireReadableFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new UserException(what + " file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new UserException(what + " path is a directory, not a file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new UserException(what + " file is not readable: " + file);
        }
    }
}
