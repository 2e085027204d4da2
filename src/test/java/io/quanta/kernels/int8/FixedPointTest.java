package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.ModelInvalidException;
import io.quanta.kernels.FixedPoint;
import org.junit.jupiter.api.Test;

class FixedPointTest {

    private static void assertMultiplier(double real, int multiplier, int shift) {
        FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(real);
        assertEquals(multiplier, m.multiplier(), "multiplier of " + real);
        assertEquals(shift, m.shift(), "shift of " + real);
    }

    @Test
    void quantizeMultiplierEncodesMantissaAndExponent() {
        assertMultiplier(0.5, 1 << 30, 0);
        assertMultiplier(1.0, 1 << 30, 1);
        assertMultiplier(0.75, 1610612736, 0);
        assertMultiplier(0.1, 1717986918, -3); // 0.8 * 2^31 = 1717986918.4
        assertMultiplier(3.0, 1610612736, 2);
        assertMultiplier(-0.75, -1610612736, 0);
    }

    @Test
    void quantizeMultiplierEdgeCases() {
        assertMultiplier(0.0, 0, 0);
        // The mantissa rounds up to 2^31: renormalised to 2^30 with one more shift.
        assertMultiplier(1.0 - 0x1p-40, 1 << 30, 1);
        // Below about 2^-32 everything is flushed to zero.
        assertMultiplier(0x1p-40, 0, 0);
        assertMultiplier(0x1p-32, 1 << 30, -31);
        // Subnormal doubles are normalised before taking the exponent.
        assertMultiplier(Double.MIN_VALUE, 0, 0);
    }

    @Test
    void saturatingRoundingDoublingHighMul() {
        assertEquals(
                Integer.MAX_VALUE, FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertEquals(1 << 29, FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
        // 3 * 0.5 = 1.5 rounds up; -1.5 rounds toward zero (gemmlowp's nudge then truncation).
        assertEquals(2, FixedPoint.saturatingRoundingDoublingHighMul(3, 1 << 30));
        assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30));
        assertEquals(0, FixedPoint.saturatingRoundingDoublingHighMul(0, 12345));
    }

    @Test
    void roundingDivideByPowerOfTwoRoundsHalfAwayFromZero() {
        assertEquals(3, FixedPoint.roundingDivideByPOT(5, 1));
        assertEquals(-3, FixedPoint.roundingDivideByPOT(-5, 1));
        assertEquals(-2, FixedPoint.roundingDivideByPOT(-4, 1));
        assertEquals(2, FixedPoint.roundingDivideByPOT(7, 2));
        assertEquals(2, FixedPoint.roundingDivideByPOT(6, 2));
        assertEquals(-2, FixedPoint.roundingDivideByPOT(-6, 2));
        assertEquals(-1, FixedPoint.roundingDivideByPOT(-5, 2));
        assertEquals(17, FixedPoint.roundingDivideByPOT(17, 0));
    }

    @Test
    void multiplyByQuantizedMultiplierRoundsTwice() {
        assertEquals(75, FixedPoint.multiplyByQuantizedMultiplier(100, 1610612736, 0));
        assertEquals(3, FixedPoint.multiplyByQuantizedMultiplier(3, 1 << 30, 1));
        assertEquals(1, FixedPoint.multiplyByQuantizedMultiplier(10, 1717986918, -3));
        assertEquals(12, FixedPoint.multiplyByQuantizedMultiplier(3, 1 << 30, 3)); // 3 * 4
        // 5 * 0.25: the high multiply gives 2.5 -> 3, the shift 1.5 -> 2. One rounding would give 1.
        assertEquals(2, FixedPoint.multiplyByQuantizedMultiplier(5, 1 << 30, -1));
        assertEquals(1, FixedPoint.multiplyByQuantizedMultiplierSingleRounding(5, 1 << 30, -1));
    }

    @Test
    void ruyMultiplierRoundsTiesTowardPlusInfinity() {
        // -7.5 (multiplier 0.5): gemmlowp's high multiply also gives -7; the shift is where they part.
        assertEquals(-7, FixedPoint.multiplyByQuantizedMultiplierRuy(-15, 1 << 30, 0));
        // -5 * 0.25 = -1.25: high multiply -2.5 -> -2, shift -1.0 -> -1 in both.
        assertEquals(-1, FixedPoint.multiplyByQuantizedMultiplierRuy(-5, 1 << 30, -1));
        // -6 * 0.25 = -1.5: high multiply -3 exactly, then the shift rounds -1.5 up to -1 (gemmlowp: -2).
        assertEquals(-1, FixedPoint.multiplyByQuantizedMultiplierRuy(-6, 1 << 30, -1));
        assertEquals(-2, FixedPoint.multiplyByQuantizedMultiplier(-6, 1 << 30, -1));
        assertEquals(2, FixedPoint.multiplyByQuantizedMultiplierRuy(5, 1 << 30, -1));
        assertEquals(12, FixedPoint.multiplyByQuantizedMultiplierRuy(3, 1 << 30, 3));
    }

    @Test
    void int16Helpers() {
        assertEquals(Short.MAX_VALUE, FixedPoint.saturatingRoundingDoublingHighMul16(Short.MIN_VALUE, Short.MIN_VALUE));
        assertEquals(8192, FixedPoint.saturatingRoundingDoublingHighMul16(16384, 16384)); // 0.5 * 0.5 in Q15
        assertEquals(-1, FixedPoint.saturatingDoublingHighMul16(-3, 16384)); // -1.5 truncates toward zero
        assertEquals(Short.MAX_VALUE, FixedPoint.saturatingLeftShift16(20000, 1));
        assertEquals(Short.MIN_VALUE, FixedPoint.saturatingLeftShift16(-20000, 1));
        assertEquals(16384, FixedPoint.downScaleInt32ToInt16Multiplier(1 << 30));
        assertEquals(Short.MAX_VALUE, FixedPoint.downScaleInt32ToInt16Multiplier(Integer.MAX_VALUE));
    }

    @Test
    void roundHalfAwayFromZeroIsCRound() {
        assertEquals(3.0, FixedPoint.roundHalfAwayFromZero(2.5));
        assertEquals(-3.0, FixedPoint.roundHalfAwayFromZero(-2.5));
        assertEquals(0.0, FixedPoint.roundHalfAwayFromZero(0.49999999999999994));
        assertEquals(-2f, FixedPoint.roundHalfAwayFromZero(-1.5f));
        // floor(x + 0.5) sends the largest double below one half to 1; C's round() gives 0.
        assertEquals(-0.0, FixedPoint.roundHalfAwayFromZero(-0.49999999999999994));
        assertEquals(-1.0, FixedPoint.roundHalfAwayFromZero(-0.5));
        // Above 2^52 every double is an integer; x + 0.5 would round to the next even one.
        assertEquals(4503599627370497.0, FixedPoint.roundHalfAwayFromZero(4503599627370497.0));
        assertEquals(-4503599627370497.0, FixedPoint.roundHalfAwayFromZero(-4503599627370497.0));
        assertEquals(0.0f, FixedPoint.roundHalfAwayFromZero(0.49999997f));
        assertEquals(8388609f, FixedPoint.roundHalfAwayFromZero(8388609f));
    }

    @Test
    void activationRangeQuantizesBoundsWithOutputScale() {
        assertArrayEquals(new int[] {-10, 127}, Quant.activationRange(io.quanta.graph.Activation.RELU, 0.05f, -10));
        assertArrayEquals(new int[] {-10, 110}, Quant.activationRange(io.quanta.graph.Activation.RELU6, 0.05f, -10));
        assertArrayEquals(
                new int[] {-100, 100}, Quant.activationRange(io.quanta.graph.Activation.RELU_N1_TO_1, 0.01f, 0));
        assertArrayEquals(
                new int[] {-128, 127}, Quant.activationRange(io.quanta.graph.Activation.RELU6, 6f / 255f, -128));
        assertArrayEquals(new int[] {-128, 127}, Quant.activationRange(io.quanta.graph.Activation.NONE, 1f, 3));
    }

    private static void assertArrayEquals(int[] expected, int[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }

    /** Found by scripts/fuzz.sh: a mutated scale made a conv multiplier infinite (then a bare IllegalArgumentException). */
    @Test
    void anInfiniteMultiplierIsTheModelsFault() {
        org.junit.jupiter.api.Assertions.assertThrows(
                ModelInvalidException.class, () -> FixedPoint.quantizeMultiplier(Double.POSITIVE_INFINITY));
    }
}
