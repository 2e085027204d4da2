package io.quanta.quantize;

import java.util.Objects;

/**
 * Options of one quantization run.
 *
 * @param perChannelFullyConnected quantize FULLY_CONNECTED weights per output channel (axis 0) instead of per tensor
 * @param dynamicRangeMinElements  in DYNAMIC_RANGE mode, weights with fewer elements stay float (TFLite's default 1024)
 */
public record QuantizationOptions(QuantizationMode mode, InterfaceType inputType, InterfaceType outputType,
        boolean perChannelFullyConnected, int dynamicRangeMinElements) {

    public QuantizationOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        boolean integerMode = mode == QuantizationMode.INT8 || mode == QuantizationMode.INT8_ONLY;
        if (!integerMode && (inputType != InterfaceType.FLOAT32 || outputType != InterfaceType.FLOAT32)) {
            throw new IllegalArgumentException("input/output type " + inputType + "/" + outputType
                    + " needs mode INT8 or INT8_ONLY, not " + mode);
        }
    }

    public static QuantizationOptions defaults() {
        return new QuantizationOptions(QuantizationMode.INT8, InterfaceType.FLOAT32, InterfaceType.FLOAT32, false, 1024);
    }

    public QuantizationOptions withMode(QuantizationMode m) {
        return new QuantizationOptions(m, inputType, outputType, perChannelFullyConnected, dynamicRangeMinElements);
    }

    public QuantizationOptions withInputType(InterfaceType t) {
        return new QuantizationOptions(mode, t, outputType, perChannelFullyConnected, dynamicRangeMinElements);
    }

    public QuantizationOptions withOutputType(InterfaceType t) {
        return new QuantizationOptions(mode, inputType, t, perChannelFullyConnected, dynamicRangeMinElements);
    }

    public QuantizationOptions withPerChannelFullyConnected(boolean on) {
        return new QuantizationOptions(mode, inputType, outputType, on, dynamicRangeMinElements);
    }

    public QuantizationOptions withDynamicRangeMinElements(int n) {
        return new QuantizationOptions(mode, inputType, outputType, perChannelFullyConnected, n);
    }
}
