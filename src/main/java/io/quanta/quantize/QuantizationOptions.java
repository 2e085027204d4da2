package io.quanta.quantize;

import java.util.Objects;

/**
 * Options of one quantization run.
 *
 * @param perChannelFullyConnected quantize FULLY_CONNECTED weights per output channel (axis 0) instead of per tensor
 * @param dynamicRangeMinElements  in DYNAMIC_RANGE mode, weights with fewer elements stay float (TFLite's default 1024)
 * @param shortenFusedNames        keep only the first ';'-separated part of the converter's fused tensor names
 *                                 (as long as it stays unique), which keeps the file lean
 * @param keepFloat                INT8 modes: ops to leave float, by op type, output tensor name or "#N" (see
 *                                 {@link OpSelection}); empty for none
 * @param int16Ops                 INT8 modes: ops to run with int16 activations (16x8) where TFLite 2.21 can, by the
 *                                 same selectors; empty for none (INT16X8 runs every such op in int16)
 */
public record QuantizationOptions(
        QuantizationMode mode,
        InterfaceType inputType,
        InterfaceType outputType,
        boolean perChannelFullyConnected,
        int dynamicRangeMinElements,
        boolean shortenFusedNames,
        java.util.List<String> keepFloat,
        java.util.List<String> int16Ops) {

    public QuantizationOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(inputType, "inputType");
        Objects.requireNonNull(outputType, "outputType");
        keepFloat = keepFloat == null ? java.util.List.of() : java.util.List.copyOf(keepFloat);
        int16Ops = int16Ops == null ? java.util.List.of() : java.util.List.copyOf(int16Ops);
        if (mode == QuantizationMode.INT16X8
                && (inputType != InterfaceType.FLOAT32 || outputType != InterfaceType.FLOAT32)) {
            // The converter's 16x8 interface is float32 or int16; an 8-bit interface would cut the int16 range.
            InterfaceType asked = inputType != InterfaceType.FLOAT32 ? inputType : outputType;
            throw new IllegalArgumentException((inputType != InterfaceType.FLOAT32 ? "input" : "output") + " type "
                    + asked.name().toLowerCase(java.util.Locale.ROOT)
                    + " does not go with mode int16x8: 16x8 models keep float32 inputs and outputs");
        }
        boolean integerMode = mode == QuantizationMode.INT8 || mode == QuantizationMode.INT8_ONLY;
        if (!integerMode
                && mode != QuantizationMode.INT16X8
                && (inputType != InterfaceType.FLOAT32 || outputType != InterfaceType.FLOAT32)) {
            throw new IllegalArgumentException(
                    "input/output type " + inputType + "/" + outputType + " needs mode INT8 or INT8_ONLY, not " + mode);
        }
    }

    /** The options without keep-float selectors. */
    public QuantizationOptions(
            QuantizationMode mode,
            InterfaceType inputType,
            InterfaceType outputType,
            boolean perChannelFullyConnected,
            int dynamicRangeMinElements,
            boolean shortenFusedNames) {
        this(
                mode,
                inputType,
                outputType,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                shortenFusedNames,
                java.util.List.of(),
                java.util.List.of());
    }

    public static QuantizationOptions defaults() {
        return new QuantizationOptions(
                QuantizationMode.INT8, InterfaceType.FLOAT32, InterfaceType.FLOAT32, false, 1024, true);
    }

    public QuantizationOptions withMode(QuantizationMode m) {
        return new QuantizationOptions(
                m,
                inputType,
                outputType,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                shortenFusedNames,
                keepFloat,
                int16Ops);
    }

    public QuantizationOptions withInputType(InterfaceType t) {
        return new QuantizationOptions(
                mode,
                t,
                outputType,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                shortenFusedNames,
                keepFloat,
                int16Ops);
    }

    public QuantizationOptions withOutputType(InterfaceType t) {
        return new QuantizationOptions(
                mode,
                inputType,
                t,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                shortenFusedNames,
                keepFloat,
                int16Ops);
    }

    public QuantizationOptions withPerChannelFullyConnected(boolean on) {
        return new QuantizationOptions(
                mode, inputType, outputType, on, dynamicRangeMinElements, shortenFusedNames, keepFloat, int16Ops);
    }

    public QuantizationOptions withDynamicRangeMinElements(int n) {
        return new QuantizationOptions(
                mode, inputType, outputType, perChannelFullyConnected, n, shortenFusedNames, keepFloat, int16Ops);
    }

    public QuantizationOptions withShortenFusedNames(boolean on) {
        return new QuantizationOptions(
                mode,
                inputType,
                outputType,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                on,
                keepFloat,
                int16Ops);
    }

    public QuantizationOptions withKeepFloat(java.util.List<String> selectors) {
        return new QuantizationOptions(
                mode,
                inputType,
                outputType,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                shortenFusedNames,
                selectors,
                int16Ops);
    }

    /** The options with these ops (selectors as for keep-float) in int16 where TFLite 2.21 runs them so. */
    public QuantizationOptions withInt16Ops(java.util.List<String> selectors) {
        return new QuantizationOptions(
                mode,
                inputType,
                outputType,
                perChannelFullyConnected,
                dynamicRangeMinElements,
                shortenFusedNames,
                keepFloat,
                selectors);
    }
}
