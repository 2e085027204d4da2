package io.quanta.pipeline;

import io.quanta.data.DatasetPreparation;
import io.quanta.report.RunResult.Stage;

/**
 * Follows a run: stages as they start and end, datasets as they are prepared for the model (what was converted,
 * how many samples are used), and samples as calibration and evaluation get through them.
 */
public interface PipelineListener {
    PipelineListener NONE = new PipelineListener() {};

    default void stageStarted(Stage stage, String what) {}

    /** A dataset is ready for a model: the conversions applied and the samples used (one line's worth). */
    default void datasetPrepared(DatasetPreparation preparation) {}

    default void samplesDone(Stage stage, int done, int total) {}

    default void stageFinished(Stage stage, long millis) {}
}
