package io.quanta.kernels.int8;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
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
    private static final Class<? extends Vector<Float>> F_CLASS = F.vectorType();
    private static final Class<? extends Vector<Integer>> I_CLASS = I.vectorType();
    private static final int L = 8;

    /** Whether the vector conversions run: the SIMD float loops were chosen (Vector API present, not scalar). */
    static final boolean USABLE = ExactGemm.vectorLoopsChosen();

    private VectorConvert() {}

    /** {@code f[fOff + k] = x[xOff + k] + offset} for k below n; returns the first k left to the caller. */
    static int shiftedFloats(byte[] x, int xOff, int n, int offset, float[] f, int fOff) {
        int nv = n - n % L;
        FloatVector off = FloatVector.broadcast(F, offset);
        for (int k = 0; k < nv; k += L) {
            // A conversion's result is typed only as a Vector while C2 parses, and a call on it would dispatch on
            // the JDK's shared profile (boxing, see toInts); the cast to the constant class makes it exact.
            ((FloatVector) F_CLASS.cast(ByteVector.fromArray(B, x, xOff + k).convertShape(VectorOperators.B2F, F, 0)))
                    .add(off)
                    .intoArray(f, fOff + k);
        }
        return nv;
    }

    /**
     * {@code acc[accOff + i] (+)= (int) f[fOff + i]} for i below n, the floats being integers of magnitude at most
     * 2^24; returns the first i left to the caller. Java 17's C2 does not intrinsify the F2I conversion (it falls
     * back to a boxed per-lane loop, thousands of times slower), so the integer is read from the mantissa bits: a
     * quarter of it rounded by the magic number, and the small exact remainder the same way.
     */
    static int toInts(float[] f, int fOff, int n, int[] acc, int accOff, boolean add) {
        int nv = n - n % L;
        // Every operand a vector: the scalar forms (mul(float), sub(int), lanewise(LSHL, int)) broadcast through a
        // call in the JDK's shared FloatVector/IntVector code, whose type profile the float kernels' 512-bit vectors
        // also feed; C2 then inlines both classes and boxes every vector (measured: ~900 bytes and 100x the time
        // per 8 lanes once a float model had run in the JVM). Nor does a vector merged from two branches reach a
        // call, for the same reason, hence two loops.
        FloatVector quarterOf = FloatVector.broadcast(F, 0.25f);
        FloatVector four = FloatVector.broadcast(F, 4f);
        FloatVector magic = FloatVector.broadcast(F, ExactGemm.MAGIC);
        IntVector magicBits = IntVector.broadcast(I, ExactGemm.MAGIC_BITS);
        IntVector two = IntVector.broadcast(I, 2);
        if (add) {
            for (int i = 0; i < nv; i += L) {
                FloatVector s = FloatVector.fromArray(F, f, fOff + i);
                FloatVector quarter = f(f(s.mul(quarterOf)).add(magic)); // round(s / 4) + MAGIC, exact: |s / 4| <= 2^22
                FloatVector rest =
                        f(f(s.sub(f(f(quarter.sub(magic)).mul(four)))).add(magic)); // s - 4 round(s / 4) + MAGIC
                IntVector q = i(i(i(quarter.reinterpretAsInts()).sub(magicBits)).lanewise(VectorOperators.LSHL, two));
                i(i(q.add(i(i(rest.reinterpretAsInts()).sub(magicBits)))).add(IntVector.fromArray(I, acc, accOff + i)))
                        .intoArray(acc, accOff + i);
            }
        } else {
            for (int i = 0; i < nv; i += L) {
                FloatVector s = FloatVector.fromArray(F, f, fOff + i);
                FloatVector quarter = f(f(s.mul(quarterOf)).add(magic));
                FloatVector rest =
                        f(f(s.sub(f(f(quarter.sub(magic)).mul(four)))).add(magic));
                IntVector q = i(i(i(quarter.reinterpretAsInts()).sub(magicBits)).lanewise(VectorOperators.LSHL, two));
                i(q.add(i(i(rest.reinterpretAsInts()).sub(magicBits)))).intoArray(acc, accOff + i);
            }
        }
        return nv;
    }

    // An operation's result is typed only as FloatVector/IntVector while C2 parses, so a call on it dispatches on the
    // JDK's shared type profile (boxing once 512-bit float kernels have run, measured: ~300 KB per resnet8 Winograd
    // conv); cast to the constant class, it is exact. Trivial static methods, always inlined.

    private static FloatVector f(Vector<Float> v) {
        return (FloatVector) F_CLASS.cast(v);
    }

    private static IntVector i(Vector<Integer> v) {
        return (IntVector) I_CLASS.cast(v);
    }
}
