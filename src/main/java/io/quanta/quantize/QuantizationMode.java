package io.quanta.quantize;

/** What the quantizer produces. */
public enum QuantizationMode {
    /** Every op with an int8 kernel runs in int8; the others stay float behind QUANTIZE/DEQUANTIZE. */
    INT8,
    /** Like INT8, but no float op may remain: fails listing every op that cannot be quantized. */
    INT8_ONLY,
    /** Int8 weights for CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED (TFLite hybrid kernels), float activations. */
    DYNAMIC_RANGE,
    /** Float constants stored as float16, expanded to float32 by DEQUANTIZE ops. */
    FLOAT16,
    /**
     * TFLite's 16x8 scheme: int16 activations (symmetric, zero point 0), int8 symmetric weights, int64 bias, for
     * every op TFLite 2.21 runs in 16x8; other ops run in int8, or stay float like INT8's.
     */
    INT16X8;

    /** True for the modes that calibrate activations and rewrite the graph to integer ops. */
    public boolean isFullInteger() {
        return this == INT8 || this == INT8_ONLY || this == INT16X8;
    }
}
