package io.quanta.eval;

/**
 * How far one quantized tensor, dequantized, lies from the float model's value of the same tensor on the same
 * samples: mean and largest absolute error, and the root mean square error in units of the tensor's scale.
 * Rounding alone gives an error uniform over ±½ step, an RMSE of 1/√12 ≈ 0.29 steps; much more means the
 * error built up before this layer or the range clips. The SQNR, 10·log10(Σ float² / Σ error²), puts the same error
 * on the scale of the signal, comparable between layers of different ranges.
 */
public final class LayerError {
    private final double scale;
    private long count;
    private double maxAbs;
    private double sumAbs;
    private double sumSquares;
    private double signalPower;

    /** @param scale the tensor's quantization step (the first channel's for per-channel tensors) */
    public LayerError(double scale) {
        this.scale = scale;
    }

    /** Adds {@code n} elements: the float model's {@code reference} and the dequantized {@code test}. */
    public void add(float[] reference, float[] test, int n) {
        for (int k = 0; k < n; k++) {
            double r = reference[k];
            double e = (double) test[k] - r;
            double a = Math.abs(e);
            if (a > maxAbs) {
                maxAbs = a;
            }
            sumAbs += a;
            sumSquares += e * e;
            signalPower += r * r;
        }
        count += n;
    }

    /** Adds another part's errors of the same tensor (another block or shard); sums add in the order merged. */
    public LayerError merge(LayerError other) {
        count += other.count;
        maxAbs = Math.max(maxAbs, other.maxAbs);
        sumAbs += other.sumAbs;
        sumSquares += other.sumSquares;
        return this;
    }

    public double scale() {
        return scale;
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

    public double rmse() {
        return count == 0 ? 0 : Math.sqrt(sumSquares / count);
    }

    /** In dB; +infinity when the values are identical, -infinity when the float values are all zero. */
    public double sqnrDb() {
        if (sumSquares == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 10 * Math.log10(signalPower / sumSquares);
    }

    /** RMSE divided by the scale: about 0.29 for a tensor whose only error is its own rounding. */
    public double rmseInSteps() {
        return scale > 0 ? rmse() / scale : Double.NaN;
    }
}
