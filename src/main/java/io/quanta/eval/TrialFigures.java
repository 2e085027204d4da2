package io.quanta.eval;

/**
 * How one quantized candidate compares with the float model on a set of samples: the figures accuracy budgets
 * are stated in.
 *
 * @param samples       samples compared
 * @param agreement     fraction of samples whose output-0 argmax matches the float model's (NaN when output 0 is
 *                      not a vector of class scores)
 * @param labelled      samples with a label
 * @param floatTop1     float top-1 over the labelled samples (NaN without labels)
 * @param quantizedTop1 the candidate's top-1 over the labelled samples (NaN without labels)
 * @param sqnrDb        output SQNR over every float output, in dB (+infinity when identical)
 */
public record TrialFigures(
        int samples, double agreement, int labelled, double floatTop1, double quantizedTop1, double sqnrDb) {

    /** Float top-1 minus quantized top-1 (NaN without labels). */
    public double accuracyDrop() {
        return floatTop1 - quantizedTop1;
    }
}
