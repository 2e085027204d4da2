package io.quanta.pipeline;

import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;

/**
 * A run that failed: in which stage, a short CamelCase code (the operator's condition reason) and the
 * user-facing message of the underlying failure, which stays available as the cause.
 */
public final class PipelineException extends RuntimeException {
    private final Stage stage;
    private final String errorCode;

    public PipelineException(Stage stage, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
        this.errorCode = errorCode;
    }

    public Stage stage() {
        return stage;
    }

    public String errorCode() {
        return errorCode;
    }

    /** The failure as the compact result an operator reads. */
    public RunResult toRunResult() {
        return RunResult.failure(stage, errorCode, getMessage());
    }
}
