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
    final ErrorSums sums;

    /** @param scale the tensor's quantization step (the first channel's for per-channel tensors) */
    public LayerError(double scale) {
        this(scale, new ErrorSums());
    }

    LayerError(double scale, ErrorSums sums) {
        this.scale = scale;
        this.sums = sums;
    }

    /** Adds {@code n} elements: the float model's {@code reference} and the dequantized {@code test}. */
    public void add(float[] reference, float[] test, int n) {
        sums.add(reference, test, n);
    }

    /** Adds another part's errors of the same tensor (another block or shard); sums add exactly (see ErrorSums). */
    public LayerError merge(LayerError other) {
        sums.merge(other.sums);
        return this;
    }

    public double scale() {
        return scale;
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

    public double rmse() {
        return sums.count == 0 ? 0 : Math.sqrt(sums.sumSquares() / sums.count);
    }

    /** In dB; +infinity when the values are identical, -infinity when the float values are all zero. */
    public double sqnrDb() {
        return sums.sqnrDb();
    }

    /** RMSE divided by the scale: about 0.29 for a tensor whose only error is its own rounding. */
    public double rmseInSteps() {
        return scale > 0 ? rmse() / scale : Double.NaN;
    }
}
