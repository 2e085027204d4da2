package io.quanta.calibrate;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Extremes} in SIMD lanes: FloatVector.min/max follow Math.min/max, NaN and infinities included. */
final class VectorExtremes extends Extremes {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Override
    void scan(float[] data, int n, float[] into) {
        FloatVector lo = FloatVector.broadcast(S, data[0]);
        FloatVector hi = lo;
        int k = 0;
        for (int up = S.loopBound(n); k < up; k += S.length()) {
            FloatVector v = FloatVector.fromArray(S, data, k);
            lo = lo.min(v);
            hi = hi.max(v);
        }
        float l = lo.reduceLanes(VectorOperators.MIN);
        float h = hi.reduceLanes(VectorOperators.MAX);
        for (; k < n; k++) {
            l = Math.min(l, data[k]);
            h = Math.max(h, data[k]);
        }
        into[0] = l;
        into[1] = h;
    }
}
