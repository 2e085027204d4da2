package io.quanta.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The widening and narrowing around the exact float products, eight lanes at a time (C2 does not vectorize these
 * conversions on its own): int8 plus an offset to float, and float sums (integers below 2^24) back to int.
 * Called only when {@link #USABLE}; the callers' scalar loops give the same values.
 */
final class VectorConvert {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_64;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int L = 8;

    /** Whether the vector conversions run: the SIMD float loops were chosen (Vector API present, not scalar). */
    static final boolean USABLE = ExactGemm.vectorLoopsChosen();

    private VectorConvert() {}

    /** {@code f[fOff + k] = x[xOff + k] + offset} for k below n; returns the first k left to the caller. */
    static int shiftedFloats(byte[] x, int xOff, int n, int offset, float[] f, int fOff) {
        int nv = n - n % L;
        FloatVector off = FloatVector.broadcast(F, offset);
        for (int k = 0; k < nv; k += L) {
            ((FloatVector) ByteVector.fromArray(B, x, xOff + k).convertShape(VectorOperators.B2F, F, 0))
                    .add(off)
                    .intoArray(f, fOff + k);
        }
        return nv;
    }

    /** 1.5 * 2^23: added to a float in (-2^22, 2^22) it rounds it to an integer held in the low mantissa bits. */
    private static final float MAGIC = 12582912f;

    private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);

    /**
     * {@code acc[accOff + i] (+)= (int) f[fOff + i]} for i below n, the floats being integers of magnitude at most
     * 2^24; returns the first i left to the caller. Java 17's C2 does not intrinsify the F2I conversion (it falls
     * back to a boxed per-lane loop, thousands of times slower), so the integer is read from the mantissa bits: a
     * quarter of it rounded by the magic number, and the small exact remainder the same way.
     */
    static int toInts(float[] f, int fOff, int n, int[] acc, int accOff, boolean add) {
        int nv = n - n % L;
        for (int i = 0; i < nv; i += L) {
            FloatVector s = FloatVector.fromArray(F, f, fOff + i);
            FloatVector quarter = s.mul(0.25f).add(MAGIC); // round(s / 4) + MAGIC, exact: |s / 4| <= 2^22
            FloatVector rest = s.sub(quarter.sub(MAGIC).mul(4f)).add(MAGIC); // s - 4 round(s / 4), in [-2, 2]
            IntVector v = quarter.reinterpretAsInts()
                    .sub(MAGIC_BITS)
                    .lanewise(VectorOperators.LSHL, 2)
                    .add(rest.reinterpretAsInts().sub(MAGIC_BITS));
            if (add) {
                v = v.add(IntVector.fromArray(I, acc, accOff + i));
            }
            v.intoArray(acc, accOff + i);
        }
        return nv;
    }
}
