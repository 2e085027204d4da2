package io.quanta.kernels;

/**
 * One op, ready to run: made once per model by a {@link KernelFactory} (which may validate and pre-pack
 * constant weights), then invoked once per inference. A kernel sets each output's shape itself (shapes
 * may depend on input values, as with RESHAPE fed by SHAPE) and must not allocate in its hot loops.
 */
@FunctionalInterface
public interface Kernel {
    void invoke(TensorValue[] inputs, TensorValue[] outputs);
}
