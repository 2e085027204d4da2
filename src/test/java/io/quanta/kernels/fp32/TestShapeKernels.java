package io.quanta.kernels.fp32;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelRegistry;

/**
 * Test scaffolding only: RESHAPE and SQUEEZE as "copy, then take the output tensor's static shape", so
 * that whole models can exercise the compute kernels before the real shape kernels (another branch) land.
 * Valid only for models whose shapes are all static, as the shared float models are.
 */
final class TestShapeKernels {
    private TestShapeKernels() {}

    static KernelRegistry withStaticReshapes(KernelRegistry base) {
        KernelRegistry extra = new KernelRegistry();
        for (OpType t : new OpType[] {OpType.RESHAPE, OpType.SQUEEZE}) {
            if (!base.supports(t, KernelRegistry.Flavor.FLOAT)) {
                extra.register(t, KernelRegistry.Flavor.FLOAT, ctx -> {
                    int[] shape = ctx.output(0).shape();
                    return (in, out) -> {
                        out[0].resize(shape);
                        System.arraycopy(in[0].f, 0, out[0].f, 0, out[0].size());
                    };
                });
            }
        }
        return base.with(extra);
    }
}
