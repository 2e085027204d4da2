package io.quanta.kernels.int8;

import io.quanta.kernels.VectorSupport;

/**
 * Requantization of whole output rows in SIMD lanes ({@link VectorRequant}), when the incubator Vector API is in
 * the boot layer with 512-bit vectors (the 64-bit products need eight long lanes) and {@code -Dquanta.scalar}
 * is not set; otherwise none, and {@link ConvQuant} does every channel in scalar code. Both give the same bytes.
 */
interface RowRequant {
    /** Does nothing: every channel is left to the scalar code. */
    RowRequant NONE = (acc, pixels, y, o, ruyRounding) -> 0;

    /**
     * Requantizes channels [0, returned) of each of {@code pixels} pixels of sums without bias
     * ({@code acc[p * channels + c]}) into {@code y[o + p * channels + c]}; the caller finishes the others.
     */
    int store(int[] acc, int pixels, byte[] y, int o, boolean ruyRounding);

    /**
     * {@link #store} from float sums started from {@link ExactGemm#MAGIC} ({@code sums[p * stride + c]}, see {@link
     * ConvTiles#magic}), whose bits less {@link ExactGemm#MAGIC_BITS} are the int sums. Returns the channels done.
     */
    default int storeMagic(float[] sums, int pixels, int stride, byte[] y, int o, boolean ruyRounding) {
        return 0;
    }

    static RowRequant create(int[] bias, int[] multipliers, int[] shifts, int outputOffset, int actMin, int actMax) {
        if (!VectorSupport.enabled()) {
            return NONE;
        }
        try {
            Object r = Class.forName("io.quanta.kernels.int8.VectorRequant")
                    .getDeclaredMethod(
                            "createIfUsable", int[].class, int[].class, int[].class, int.class, int.class, int.class)
                    .invoke(null, bias, multipliers, shifts, outputOffset, actMin, actMax);
            return r != null ? (RowRequant) r : NONE;
        } catch (ReflectiveOperationException | LinkageError e) {
            return NONE;
        }
    }
}
