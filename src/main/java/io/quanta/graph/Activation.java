package io.quanta.graph;

/** Activation fused into an op's output, as TFLite's ActivationFunctionType. */
public enum Activation {
    NONE,
    RELU,
    RELU_N1_TO_1,
    RELU6,
    TANH,
    SIGN_BIT;

    /** Lower clamp bound of this activation for float outputs (tanh and sign bit are not clamps). */
    public float floatMin() {
        return switch (this) {
            case RELU, RELU6 -> 0f;
            case RELU_N1_TO_1 -> -1f;
            default -> Float.NEGATIVE_INFINITY;
        };
    }

    /** Upper clamp bound of this activation for float outputs. */
    public float floatMax() {
        return switch (this) {
            case RELU6 -> 6f;
            case RELU_N1_TO_1 -> 1f;
            default -> Float.POSITIVE_INFINITY;
        };
    }
}
