package io.quanta.eval;

/**
 * Accumulates how far a quantized model's output strays from the float model's over many samples: largest
 * and mean absolute error, and the signal-to-quantization-noise ratio 10·log10(Σ float² / Σ (float − quant)²).
 * A pure computation, fed element arrays by whoever runs the models.
 */
public final class OutputError {
    private long count;
    private double maxAbs;
    private double sumAbs;
    private double signalPower;
    private double noisePower;

    /** Adds {@code n} elements: {@code reference} from the float model, {@code test} from the quantized one. */
    public void add(float[] reference, float[] test, int n) {
        for (int k = 0; k < n; k++) {
            double r = reference[k];
            double e = test[k] - r;
            double a = Math.abs(e);
            if (a > maxAbs) {
                maxAbs = a;
            }
            sumAbs += a;
            signalPower += r * r;
            noisePower += e * e;
        }
        count += n;
    }

    /** Adds another part's errors (the samples of another block or shard); sums add in the order merged. */
    public OutputError merge(OutputError other) {
        count += other.count;
        maxAbs = Math.max(maxAbs, other.maxAbs);
        sumAbs += other.sumAbs;
        signalPower += other.signalPower;
        noisePower += other.noisePower;
        return this;
    }

    public long count() {
        return count;
    }

    public double maxAbsError() {
        return maxAbs;
    }

    public double meanAbsError() {
        return count == 0 ? 0 : sumAbs / count;
    }

    /** In dB; +infinity when the outputs are identical, and -infinity when the float signal is all zeros. */
    public double sqnrDb() {
        if (noisePower == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(signalPower / noisePower);
    }
}
