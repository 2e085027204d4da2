package io.quanta.eval;

/**
 * Accumulates how far a quantized model's output strays from the float model's over many samples: largest
 * and mean absolute error, and the signal-to-quantization-noise ratio 10·log10(Σ float² / Σ (float − quant)²).
 * A pure computation, fed element arrays by whoever runs the models.
 */
public final class OutputError {
    final ErrorSums sums;

    public OutputError() {
        this(new ErrorSums());
    }

    OutputError(ErrorSums sums) {
        this.sums = sums;
    }

    /** Adds {@code n} elements: {@code reference} from the float model, {@code test} from the quantized one. */
    public void add(float[] reference, float[] test, int n) {
        sums.add(reference, test, n);
    }

    /** Adds another part's errors (the samples of another block or shard); sums add exactly (see ErrorSums). */
    public OutputError merge(OutputError other) {
        sums.merge(other.sums);
        return this;
    }

    public long count() {
        return sums.count;
    }

    public double maxAbsError() {
        return sums.maxAbs;
    }

    public double meanAbsError() {
        return sums.count == 0 ? 0 : sums.sumAbs() / sums.count;
    }

    /** In dB; +infinity when the outputs are identical, and -infinity when the float signal is all zeros. */
    public double sqnrDb() {
        return sums.sqnrDb();
    }
}
