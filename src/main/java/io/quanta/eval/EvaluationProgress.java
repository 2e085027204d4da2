package io.quanta.eval;

/** Told after every evaluated sample, so that a long run can show how far it is. */
@FunctionalInterface
public interface EvaluationProgress {
    EvaluationProgress NONE = (done, total) -> {};

    void samplesDone(int done, int total);
}
