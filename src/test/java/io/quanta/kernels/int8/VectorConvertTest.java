package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SIMD float-to-int conversion of exact block sums gives Java's (int) cast over the whole exact range. */
class VectorConvertTest {

    @Test
    void exactSumsConvertAsTheScalarCastDoes() {
        Random rnd = new Random(3);
        int n = 4099; // not a multiple of the vector width: the scalar tail runs too
        float[] f = new float[n];
        int[] edges = {
            0,
            1,
            -1,
            2,
            -2,
            3,
            -3,
            (1 << 22) - 1,
            1 << 22,
            -(1 << 22),
            (1 << 22) + 1,
            (1 << 23) + 1,
            -(1 << 23) - 3,
            (1 << 24) - 1,
            -(1 << 24) + 1,
            1 << 24,
            -(1 << 24),
            6,
            -6,
            10,
            -10
        };
        for (int i = 0; i < n; i++) {
            f[i] = i < edges.length ? edges[i] : rnd.nextInt((1 << 25) + 1) - (1 << 24);
        }
        int[] start = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = rnd.nextInt(1 << 28) - (1 << 27);
        }
        for (boolean add : new boolean[] {false, true}) {
            int[] expected = start.clone();
            int[] actual = start.clone();
            for (int i = 0; i < n; i++) {
                expected[i] = (add ? expected[i] : 0) + (int) f[i];
            }
            ExactGemm.toInts(f, 0, n, actual, 0, add);
            assertArrayEquals(expected, actual, "add " + add);
        }
    }
}
