package io.quanta.cli;

import io.quanta.data.NpyFormatException;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.data.DatasetException;
import io.quanta.graph.ModelInvalidException;
import io.quanta.pipeline.PipelineException;
import io.quanta.quantize.UnquantizableOpsException;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code quanta: <message>}, and an exit code: 2 for the user's
 * errors (bad flags, missing or malformed files, unsupported ops, wrong shapes), 1 for bugs. {@code --verbose}
 * adds the stack trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int USER_ERROR = 2;
    static final int INTERNAL_ERROR = 1;

    /** What to tell the user about a failure, and with which exit code. */
    record Failure(int exitCode, String message) {}

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        Failure f = classify(ex);
        report(cmd.getErr(), f.message(), isVerbose(parseResult) ? ex : null);
        return f.exitCode();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        report(cmd.getErr(), ex.getMessage() + " (see '" + help + "')", null);
        return USER_ERROR;
    }

    static void report(PrintWriter err, String message, Throwable trace) {
        // One line, whatever the message holds: a model's name or a file's reason may carry newlines.
        err.println("quanta: " + message.replace('\n', ' ').replace('\r', ' '));
        if (trace != null) {
            trace.printStackTrace(err);
        }
        err.flush();
    }

    static Failure classify(Throwable ex) {
        if (ex instanceof PipelineException p) {
            // The pipeline names the stage's problem; a bug inside a stage is still a bug.
            return p.getCause() != null && classify(p.getCause()).exitCode() == INTERNAL_ERROR
                    ? classify(p.getCause()) : user(p.getMessage());
        }
        if (ex instanceof DatasetException || ex instanceof UnquantizableOpsException || ex instanceof StorageException) {
            return user(ex.getMessage());
        }
        if (ex instanceof UserException || ex instanceof NpyFormatException || ex instanceof UnsupportedOpException
                || ex instanceof ModelInvalidException) {
            return user(ex.getMessage());
        }
        if (ex instanceof NoSuchFileException e) {
            return user("no such file: " + e.getFile());
        }
        if (ex instanceof AccessDeniedException e) {
            return user("permission denied: " + e.getFile());
        }
        if (ex instanceof FileSystemException e) {
            return user(e.getFile() + ": " + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()));
        }
        if (ex instanceof UncheckedIOException e) {
            return classify(e.getCause());
        }
        if (ex instanceof IOException e) {
            // Disk full, broken pipe and the like: the environment's fault, not a bug of ours.
            return user("I/O error: " + e.getMessage());
        }
        if (ex instanceof OutOfMemoryError) {
            return new Failure(INTERNAL_ERROR, "out of memory (give Java more with QUANTA_JAVA_OPTS=-Xmx...)");
        }
        return new Failure(INTERNAL_ERROR, "internal error: " + ex
                + " (run again with --verbose for the stack trace)");
    }

    private static Failure user(String message) {
        return new Failure(USER_ERROR, message == null ? "error" : message);
    }

    private static boolean isVerbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
