package io.quanta.kernels;

import io.quanta.graph.Activation;

/** TFLite's CalculateActivationRangeQuantized for any integer output type, shared by the int8 and int16 kernels. */
public final class QuantizedActivation {
    private QuantizedActivation() {}

    /**
     * The fused activation's float bounds quantized with the output's scale and zero point (roundf of f / scale)
     * and clipped to [qmin, qmax]; NONE gives the whole type range.
     */
    public static int[] range(Activation activation, float scale, int zeroPoint, int qmin, int qmax) {
        return switch (activation) {
            case NONE -> new int[] {qmin, qmax};
            case RELU -> new int[] {Math.max(qmin, quantize(0f, scale, zeroPoint)), qmax};
            case RELU6 ->
                new int[] {
                    Math.max(qmin, quantize(0f, scale, zeroPoint)), Math.min(qmax, quantize(6f, scale, zeroPoint))
                };
            case RELU_N1_TO_1 ->
                new int[] {
                    Math.max(qmin, quantize(-1f, scale, zeroPoint)), Math.min(qmax, quantize(1f, scale, zeroPoint))
                };
            default ->
                throw new IllegalArgumentException("activation " + activation + " cannot be fused into an integer op");
        };
    }

    private static int quantize(float f, float scale, int zeroPoint) {
        return zeroPoint + (int) FixedPoint.roundHalfAwayFromZero(f / scale);
    }
}
