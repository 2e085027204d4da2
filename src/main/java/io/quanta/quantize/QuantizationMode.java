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
    FLOAT16
}
