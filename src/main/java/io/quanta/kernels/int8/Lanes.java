package io.quanta.kernels.int8;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector shape of the int8 tiles: 512 bits where the hardware has them (twice the FMA throughput of
 * 256-bit lanes on AVX-512 cores, and the shape the float kernels use, so the JDK's shared vector code sees one
 * float class), else 256. Loaded only by the Vector API classes.
 */
final class Lanes {
    static final VectorSpecies<Float> FLOAT =
            FloatVector.SPECIES_PREFERRED.length() >= 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;

    /** Whether the hardware has at least 256-bit float vectors: the tiles' premise. */
    static boolean usable() {
        return FloatVector.SPECIES_PREFERRED.length() >= 8;
    }

    private Lanes() {}
}
