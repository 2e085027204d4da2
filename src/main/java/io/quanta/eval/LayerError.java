package io.quanta.eval;

/**
 * How far one quantized tensor, dequantized, lies from the float model's value of the same tensor on the same
 * samples: mean and largest absolute error, and the root mean square error in units of the tensor's scale.
 * Rounding alone gives an error uniform over ±½ step, an RMSE of 1/√12 ≈ 0.29 steps; much more means the
 * error built up before this layer or the range clips.
 */
public final class LayerError {
    private final double scale;
    private long count;
    private double maxAbs;
    private double sumAbs;
    private double sumSquares;

    /** @param scale the tensor's quantization step (the first channel's for per-channel tensors) */
    public LayerError(double scale) {
        this.scale = scale;
    }

    /** Adds {@code n} elements: the float model's {@code reference} and the dequantized {@code test}. */
    public void add(float[] reference, float[] test, int n) {
        for (int k = 0; k < n; k++) {
            double e = (double) test[k] - reference[k];
            double a = Math.abs(e);
            if (a > maxAbs) {
                maxAbs = a;
            }
            sumAbs += a;
            sumSquares += e * e;
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

    /** RMSE divided by the scale: about 0.29 for a tensor whose only error is its own rounding. */
    public double rmseInSteps() {
        return scale > 0 ? rmse() / scale : Double.NaN;
    }
}
