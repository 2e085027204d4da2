package io.quanta.cli;

import io.quanta.data.DatasetPreparation;
import io.quanta.pipeline.PipelineListener;
import io.quanta.report.RunResult.Stage;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A {@link Progress} line for each stage of a pipeline run that goes through samples (calibration, evaluation), and
 * a line for each dataset prepared for the model.
 */
final class StageProgress implements PipelineListener {
    private final PrintWriter err;
    private final String command;
    private final Boolean mode;
    private final boolean terminal;
    private Progress current;

    StageProgress(PrintWriter err, String command, Boolean mode, boolean terminal) {
        this.err = err;
        this.command = command;
        this.mode = mode;
        this.terminal = terminal;
    }

    /** Progress on the command's stderr; {@code mode} is its --progress/--no-progress flag (null: on a terminal). */
    static StageProgress onStderr(CommandSpec spec, String command, Boolean mode) {
        return new StageProgress(spec.commandLine().getErr(), command, mode, Progress.stderrIsTerminal());
    }

    @Override
    public void stageStarted(Stage stage, String what) {
        close();
        current = new Progress(err, "quanta " + command + ": " + stage.name().toLowerCase(Locale.ROOT), mode, terminal);
    }

    /** Always shown, progress or not: a conversion nobody sees is a silent one. */
    @Override
    public void datasetPrepared(DatasetPreparation preparation) {
        close();
        err.println("quanta " + command + ": " + preparation.line());
        err.flush();
    }

    @Override
    public void samplesDone(Stage stage, int done, int total) {
        if (current != null) {
            current.sampleDone(done, total);
        }
    }

    @Override
    public void stageFinished(Stage stage, long millis) {
        close();
    }

    /** Ends an open line (also after a failure, so the error starts on a line of its own). */
    void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
