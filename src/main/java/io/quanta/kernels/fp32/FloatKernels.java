package io.quanta.kernels.fp32;

import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.convert.ConvertKernels;

/**
 * The float32 kernel set: one small class per op, registered here, with the type conversions
 * ({@link ConvertKernels}); CONV_2D and FULLY_CONNECTED with int8 weights run the hybrid kernels.
 */
public final class FloatKernels {
    private FloatKernels() {}

    public static KernelRegistry registry() {
        KernelRegistry r = new KernelRegistry();
        ComputeKernels.registerCompute(r);
        ShapeKernels.register(r);
        ConvertKernels.register(r);
        return r;
    }
}
