package io.quanta.job;

import io.quanta.data.DatasetException;
import io.quanta.data.NpyFormatException;
import io.quanta.graph.ModelInvalidException;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.pipeline.PipelineException;
import io.quanta.quantize.UnquantizableOpsException;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Tells a failure the user can fix (a bad model, file, location, an unsupported op) from a bug, with a one-line
 * message: what the engine step's exit code and the CLI's error line are made of.
 */
public final class Failures {
    /** What to tell the user about a failure; {@code internal} marks a bug (or an exhausted JVM). */
    public record Failure(boolean internal, String message) {}

    private Failures() {}

    public static Failure classify(Throwable ex) {
        if (ex instanceof PipelineException p) {
            // The pipeline names the stage's problem; a bug inside a stage is still a bug.
            return p.getCause() != null && classify(p.getCause()).internal()
                    ? classify(p.getCause())
                    : user(p.getMessage());
        }
        if (ex instanceof DatasetException
                || ex instanceof UnquantizableOpsException
                || ex instanceof StorageException
                || ex instanceof NpyFormatException
                || ex instanceof UnsupportedOpException
                || ex instanceof ModelInvalidException
                || ex instanceof ManifestException) {
            return user(ex.getMessage());
        }
        if (ex instanceof NoSuchFileException e) {
            return user("no such file: " + e.getFile());
        }
        if (ex instanceof AccessDeniedException e) {
            return user("permission denied: " + e.getFile());
        }
        if (ex instanceof FileSystemException e) {
            return user(e.getFile() + ": "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        }
        if (ex instanceof UncheckedIOException e) {
            return classify(e.getCause());
        }
        if (ex instanceof IOException e) {
            // Disk full, broken pipe and the like: the environment's fault, not a bug of ours.
            return user("I/O error: " + e.getMessage());
        }
        if (ex instanceof OutOfMemoryError) {
            return new Failure(true, "out of memory (give Java more with QUANTA_JAVA_OPTS=-Xmx...)");
        }
        return new Failure(true, "internal error: " + ex + " (run again with --verbose for the stack trace)");
    }

    /** A failure the user caused, with its message. */
    public static Failure user(String message) {
        return new Failure(false, message == null ? "error" : message);
    }
}
