package io.quanta.kernels;

/**
 * Whether Vector API code may be loaded: the incubator module is in the boot layer and {@code -Dquanta.scalar=true}
 * (which forces the scalar fallbacks, to compare or time them) is not set. Callers load their vector class
 * reflectively only when this holds, so a JVM without the module never links it.
 */
public final class VectorSupport {
    private VectorSupport() {}

    public static boolean enabled() {
        return !Boolean.getBoolean("quanta.scalar")
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
