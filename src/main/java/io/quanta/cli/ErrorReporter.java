package io.quanta.cli;

import io.quanta.job.EngineContract;
import io.quanta.job.Failures;
import io.quanta.pipeline.PipelineException;
import java.io.PrintWriter;
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
    static final int USER_ERROR = EngineContract.EXIT_FAILED;
    static final int INTERNAL_ERROR = EngineContract.EXIT_INTERNAL_ERROR;

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
        if (ex instanceof UserException) {
            return new Failure(USER_ERROR, ex.getMessage() == null ? "error" : ex.getMessage());
        }
        if (ex instanceof PipelineException p && p.getCause() instanceof UserException) {
            return new Failure(USER_ERROR, p.getMessage());
        }
        Failures.Failure f = Failures.classify(ex);
        return new Failure(f.internal() ? INTERNAL_ERROR : USER_ERROR, f.message());
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
