package io.quanta.kernels.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.kernels.FixedPoint;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Quantize's integer rounding path gives what the double path (C's round(), then a cast to long) gives. */
class QuantizeRoundingTest {
    private static void same(double x) {
        assertEquals((long) FixedPoint.roundHalfAwayFromZero(x), Quantize.rounded(x), "x = " + x);
    }

    @Test
    void edgeValuesRoundAsTheDoublePath() {
        double[] edges = {
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            Math.nextUp(0.5),
            Math.nextDown(0.5),
            Math.nextUp(-0.5),
            Math.nextDown(-0.5),
            127.5,
            -128.5,
            32767.5,
            -32768.5,
            0x1p52 - 0.5,
            -(0x1p52 - 0.5),
            0x1p52,
            -0x1p52,
            0x1p53 + 2,
            1e19,
            -1e19,
            0x1p63,
            -0x1p63,
            Double.MAX_VALUE,
            -Double.MAX_VALUE,
            Double.MIN_VALUE,
            -Double.MIN_VALUE,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY
        };
        for (double x : edges) {
            same(x);
        }
    }

    @Test
    void randomValuesAndHalvesRoundAsTheDoublePath() {
        Random r = new Random(14);
        for (int i = 0; i < 200_000; i++) {
            same((r.nextDouble() - 0.5) * 600); // the range inputs over a scale fall in
            same((r.nextInt(2001) - 1000) + 0.5); // exact halves
            same(Double.longBitsToDouble(r.nextLong())); // any double: tiny, huge, NaN patterns
        }
    }
}
