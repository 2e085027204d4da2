package io.quanta.kernels.int8;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradTransforms} eight channels at a time in 256-bit lanes (the width of {@link VectorConvTiles}, so the
 * JDK's shared vector code sees one float class); the last channels of a count off the width go through the scalar
 * loops. The transforms of a tile are written out in full, in one flat loop body: no vector crosses a call or lives
 * across loops (C2 in Java 17 would box it then, see {@link VectorConvTiles}).
 */
final class VectorWinograd implements WinogradTransforms {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    // The species' vector classes, constants: an operation's result cast to one is exactly typed for C2, so calls on
    // it do not dispatch on the JDK's shared type profile, which the float kernels' 512-bit vectors also feed (C2
    // then inlined both classes and boxed every vector: 80 KB per chunk of tiles once a float model had run).
    private static final Class<? extends Vector<Float>> F_CLASS = F.vectorType();
    private static final Class<? extends Vector<Integer>> I_CLASS = I.vectorType();
    private static final int L = 8;

    private VectorWinograd() {}

    static WinogradTransforms createIfUsable() {
        return FloatVector.SPECIES_PREFERRED.length() < L ? null : new VectorWinograd();
    }

    @Override
    public void input(float[] x, int xBase, int rowStride, int c, int[] inOffsets, int t0, int count, float[] v) {
        int plane = WinogradConv.plane(count * c);
        int nv = c - c % L;
        int r1 = rowStride;
        int r2 = 2 * rowStride;
        int r3 = 3 * rowStride;
        for (int i = 0; i < count; i++) {
            int base = xBase + inOffsets[t0 + i];
            for (int ch = 0; ch < nv; ch += L) {
                int a = base + ch;
                // B^T d, column by column: rows d0 - d2, d1 + d2, d2 - d1, d1 - d3.
                FloatVector d0 = FloatVector.fromArray(F, x, a);
                FloatVector d1 = FloatVector.fromArray(F, x, a + r1);
                FloatVector d2 = FloatVector.fromArray(F, x, a + r2);
                FloatVector d3 = FloatVector.fromArray(F, x, a + r3);
                FloatVector t00 = (FloatVector) F_CLASS.cast(d0.sub(d2));
                FloatVector t10 = (FloatVector) F_CLASS.cast(d1.add(d2));
                FloatVector t20 = (FloatVector) F_CLASS.cast(d2.sub(d1));
                FloatVector t30 = (FloatVector) F_CLASS.cast(d1.sub(d3));
                d0 = FloatVector.fromArray(F, x, a + c);
                d1 = FloatVector.fromArray(F, x, a + r1 + c);
                d2 = FloatVector.fromArray(F, x, a + r2 + c);
                d3 = FloatVector.fromArray(F, x, a + r3 + c);
                FloatVector t01 = (FloatVector) F_CLASS.cast(d0.sub(d2));
                FloatVector t11 = (FloatVector) F_CLASS.cast(d1.add(d2));
                FloatVector t21 = (FloatVector) F_CLASS.cast(d2.sub(d1));
                FloatVector t31 = (FloatVector) F_CLASS.cast(d1.sub(d3));
                d0 = FloatVector.fromArray(F, x, a + 2 * c);
                d1 = FloatVector.fromArray(F, x, a + r1 + 2 * c);
                d2 = FloatVector.fromArray(F, x, a + r2 + 2 * c);
                d3 = FloatVector.fromArray(F, x, a + r3 + 2 * c);
                FloatVector t02 = (FloatVector) F_CLASS.cast(d0.sub(d2));
                FloatVector t12 = (FloatVector) F_CLASS.cast(d1.add(d2));
                FloatVector t22 = (FloatVector) F_CLASS.cast(d2.sub(d1));
                FloatVector t32 = (FloatVector) F_CLASS.cast(d1.sub(d3));
                d0 = FloatVector.fromArray(F, x, a + 3 * c);
                d1 = FloatVector.fromArray(F, x, a + r1 + 3 * c);
                d2 = FloatVector.fromArray(F, x, a + r2 + 3 * c);
                d3 = FloatVector.fromArray(F, x, a + r3 + 3 * c);
                FloatVector t03 = (FloatVector) F_CLASS.cast(d0.sub(d2));
                FloatVector t13 = (FloatVector) F_CLASS.cast(d1.add(d2));
                FloatVector t23 = (FloatVector) F_CLASS.cast(d2.sub(d1));
                FloatVector t33 = (FloatVector) F_CLASS.cast(d1.sub(d3));
                // (B^T d) B, row by row, into positions 4r..4r+3.
                int o = i * c + ch;
                ((FloatVector) F_CLASS.cast(t00.sub(t02))).intoArray(v, o);
                ((FloatVector) F_CLASS.cast(t01.add(t02))).intoArray(v, o + plane);
                ((FloatVector) F_CLASS.cast(t02.sub(t01))).intoArray(v, o + 2 * plane);
                ((FloatVector) F_CLASS.cast(t01.sub(t03))).intoArray(v, o + 3 * plane);
                ((FloatVector) F_CLASS.cast(t10.sub(t12))).intoArray(v, o + 4 * plane);
                ((FloatVector) F_CLASS.cast(t11.add(t12))).intoArray(v, o + 5 * plane);
                ((FloatVector) F_CLASS.cast(t12.sub(t11))).intoArray(v, o + 6 * plane);
                ((FloatVector) F_CLASS.cast(t11.sub(t13))).intoArray(v, o + 7 * plane);
                ((FloatVector) F_CLASS.cast(t20.sub(t22))).intoArray(v, o + 8 * plane);
                ((FloatVector) F_CLASS.cast(t21.add(t22))).intoArray(v, o + 9 * plane);
                ((FloatVector) F_CLASS.cast(t22.sub(t21))).intoArray(v, o + 10 * plane);
                ((FloatVector) F_CLASS.cast(t21.sub(t23))).intoArray(v, o + 11 * plane);
                ((FloatVector) F_CLASS.cast(t30.sub(t32))).intoArray(v, o + 12 * plane);
                ((FloatVector) F_CLASS.cast(t31.add(t32))).intoArray(v, o + 13 * plane);
                ((FloatVector) F_CLASS.cast(t32.sub(t31))).intoArray(v, o + 14 * plane);
                ((FloatVector) F_CLASS.cast(t31.sub(t33))).intoArray(v, o + 15 * plane);
            }
        }
        if (nv < c) {
            Scalar.inputChannels(x, xBase, rowStride, c, inOffsets, t0, count, v, nv);
        }
    }

    @Override
    public void output(int[] sums, int stride, int count, int n, int[] outOffsets, int t0, int rowStride, int[] acc) {
        int plane = WinogradConv.plane(count * stride);
        int nv = n - n % L;
        for (int i = 0; i < count; i++) {
            int out = outOffsets[t0 + i];
            for (int ch = 0; ch < nv; ch += L) {
                int o = i * stride + ch;
                // A^T M, column by column (A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]), M's row r at positions 4r..4r+3.
                IntVector m0 = IntVector.fromArray(I, sums, o);
                IntVector m1 = IntVector.fromArray(I, sums, o + 4 * plane);
                IntVector m2 = IntVector.fromArray(I, sums, o + 8 * plane);
                IntVector m3 = IntVector.fromArray(I, sums, o + 12 * plane);
                IntVector e00 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m0.add(m1))).add(m2));
                IntVector e10 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m1.sub(m2))).sub(m3));
                m0 = IntVector.fromArray(I, sums, o + plane);
                m1 = IntVector.fromArray(I, sums, o + 5 * plane);
                m2 = IntVector.fromArray(I, sums, o + 9 * plane);
                m3 = IntVector.fromArray(I, sums, o + 13 * plane);
                IntVector e01 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m0.add(m1))).add(m2));
                IntVector e11 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m1.sub(m2))).sub(m3));
                m0 = IntVector.fromArray(I, sums, o + 2 * plane);
                m1 = IntVector.fromArray(I, sums, o + 6 * plane);
                m2 = IntVector.fromArray(I, sums, o + 10 * plane);
                m3 = IntVector.fromArray(I, sums, o + 14 * plane);
                IntVector e02 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m0.add(m1))).add(m2));
                IntVector e12 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m1.sub(m2))).sub(m3));
                m0 = IntVector.fromArray(I, sums, o + 3 * plane);
                m1 = IntVector.fromArray(I, sums, o + 7 * plane);
                m2 = IntVector.fromArray(I, sums, o + 11 * plane);
                m3 = IntVector.fromArray(I, sums, o + 15 * plane);
                IntVector e03 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m0.add(m1))).add(m2));
                IntVector e13 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(m1.sub(m2))).sub(m3));
                // (A^T M) A is 4 times the direct sums: the arithmetic shift divides exactly. A vector operand, not
                // a scalar one (whose broadcast goes through the JDK's shared code, see VectorConvert.toInts).
                IntVector two = IntVector.broadcast(I, 2);
                int q = out + ch;
                IntVector y00 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(e00.add(e01))).add(e02));
                ((IntVector) I_CLASS.cast(y00.lanewise(VectorOperators.ASHR, two))).intoArray(acc, q);
                IntVector y01 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(e01.sub(e02))).sub(e03));
                ((IntVector) I_CLASS.cast(y01.lanewise(VectorOperators.ASHR, two))).intoArray(acc, q + n);
                IntVector y10 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(e10.add(e11))).add(e12));
                ((IntVector) I_CLASS.cast(y10.lanewise(VectorOperators.ASHR, two))).intoArray(acc, q + rowStride);
                IntVector y11 = (IntVector) I_CLASS.cast(((IntVector) I_CLASS.cast(e11.sub(e12))).sub(e13));
                ((IntVector) I_CLASS.cast(y11.lanewise(VectorOperators.ASHR, two))).intoArray(acc, q + rowStride + n);
            }
        }
        if (nv < n) {
            Scalar.outputChannels(sums, stride, count, n, outOffsets, t0, rowStride, acc, nv);
        }
    }
}
