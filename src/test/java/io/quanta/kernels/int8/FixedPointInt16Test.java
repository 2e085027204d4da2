package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FixedPointInt16Test {

    @Test
    void exactPoints() {
        assertEquals(16384, FixedPointInt16.logistic(0, 3)); // 0.5 in Q0.15
        assertEquals(0, FixedPointInt16.tanh(0, 3));
        assertEquals(Short.MAX_VALUE, FixedPointInt16.expOnNegativeValues(0, 3)); // exp(0) = 1 saturates
    }

    @Test
    void logisticAndTanhFollowTheRealFunctionsClosely() {
        for (int bits : new int[] {0, 3, 4}) {
            double scale = Math.pow(2, 15 - bits);
            for (int raw = Short.MIN_VALUE; raw <= Short.MAX_VALUE; raw += 37) {
                double x = raw / scale;
                double sigmoid = FixedPointInt16.logistic(raw, bits) / 32768.0;
                double tanh = FixedPointInt16.tanh(raw, bits) / 32768.0;
                assertEquals(1 / (1 + Math.exp(-x)), sigmoid, 3e-4, "logistic(" + x + ")");
                assertEquals(Math.tanh(x), tanh, 6e-4, "tanh(" + x + ")");
            }
        }
    }

    @Test
    void logisticIsMonotoneAndSymmetric() {
        int previous = -1;
        for (int raw = -32768; raw <= 32767; raw += 101) {
            int v = FixedPointInt16.logistic(raw, 3);
            assertTrue(v >= previous, "monotone at " + raw);
            previous = v;
        }
        // logistic(-x) = 1 - logistic(x), with 1 represented by 32767
        assertEquals(32767 - FixedPointInt16.logistic(4096, 3), FixedPointInt16.logistic(-4096, 3));
    }
}
