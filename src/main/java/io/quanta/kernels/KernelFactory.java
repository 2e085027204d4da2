package io.quanta.kernels;

/** Builds the kernel of one op; throws {@link UnsupportedOpException} for a variant it cannot run. */
@FunctionalInterface
public interface KernelFactory {
    Kernel create(OpContext op);
}
