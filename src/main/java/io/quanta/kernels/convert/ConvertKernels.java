package io.quanta.kernels.convert;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;

/** Registers the type conversions: QUANTIZE (to int8/uint8/int16 or between 8-bit types), DEQUANTIZE and CAST. */
public final class ConvertKernels {
    private ConvertKernels() {}

    public static void register(KernelRegistry r) {
        r.register(OpType.CAST, Flavor.FLOAT, Cast::create);
        r.register(OpType.CAST, Flavor.QUANTIZED, Cast::create); // CAST ignores quantization parameters, as in TFLite
        r.register(OpType.DEQUANTIZE, Flavor.FLOAT, Dequantize::create);
        r.register(OpType.QUANTIZE, Flavor.QUANTIZED, Quantize::create);
    }
}
