package io.quanta.pipeline;

import io.quanta.report.RunResult.Stage;

/** Follows a run: stages as they start and end, and samples as calibration and evaluation get through them. */
public interface PipelineListener {
    PipelineListener NONE = new PipelineListener() {};

    default void stageStarted(Stage stage, String what) {}

    default void samplesDone(Stage stage, int done, int total) {}

    default void stageFinished(Stage stage, long millis) {}
}
