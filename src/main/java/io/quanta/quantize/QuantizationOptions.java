package io.quanta.quantize;

import java.util.Objects;

/**
 * Options of one quantization run.
 *
 * @param perChannelFullyConnected quantize FULLY_CONNECTED weights per output channel (axis 0) instead of per tensor
 * @param dynamicRangeMinElements  in DYNAMIC_RANGE mode, weights with fewer elements stay float (TFLite's default 1024)
 * @param shortenFusedNames        keep only the first ';'-separated part of the converter's fused tensor names
 *                                 (as long as it stays unique), which keeps the file lean
 */
public record QuantizationOptions(QuantizationMode mode, InterfaceType inputType, InterfaceType outputType,
        boolean perChannelFullyConnected, int dynamicRangeMinElements, boolean shortenFusedNames) {

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
        return new QuantizationOptions(QuantizationMode.INT8, InterfaceType.FLOAT32, InterfaceType.FLOAT32, false, 1024, true);
    }

    public QuantizationOptions withMode(QuantizationMode m) {
        return new QuantizationOptions(m, inputType, outputType, perChannelFullyConnected, dynamicRangeMinElements, shortenFusedNames);
    }

    public QuantizationOptions withInputType(InterfaceType t) {
        return new QuantizationOptions(mode, t, outputType, perChannelFullyConnected, dynamicRangeMinElements, shortenFusedNames);
    }

    public QuantizationOptions withOutputType(InterfaceType t) {
        return new QuantizationOptions(mode, inputType, t, perChannelFullyConnected, dynamicRangeMinElements, shortenFusedNames);
    }

    public QuantizationOptions withPerChannelFullyConnected(boolean on) {
        return new QuantizationOptions(mode, inputType, outputType, on, dynamicRangeMinElements, shortenFusedNames);
    }

    public QuantizationOptions withDynamicRangeMinElements(int n) {
        return new QuantizationOptions(mode, inputType, outputType, perChannelFullyConnected, n, shortenFusedNames);
    }

    public QuantizationOptions withShortenFusedNames(boolean on) {
        return new QuantizationOptions(mode, inputType, outputType, perChannelFullyConnected, dynamicRangeMinElements, on);
    }
}
