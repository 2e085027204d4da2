package io.quanta.calibrate;

/** Told after every calibrated sample, so that a long run can show how far it is. */
@FunctionalInterface
public interface CalibrationProgress {
    CalibrationProgress NONE = (done, total) -> {};

    void samplesDone(int done, int total);
}
