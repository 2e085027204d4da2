package io.quanta.kernels.fp32;

import io.quanta.kernels.KernelRegistry;

/** The float32 kernel set: one small class per op, registered here. */
public final class FloatKernels {
    private FloatKernels() {}

    public static KernelRegistry registry() {
        KernelRegistry r = new KernelRegistry();
        ComputeKernels.registerCompute(r);
        ShapeKernels.register(r);
        return r;
    }
}
