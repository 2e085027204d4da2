package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.quanta.kernels.FixedPoint;
import java.util.Random;
import jdk.incubator.vector.LongVector;
import org.junit.jupiter.api.Test;

/** The SIMD requantization gives the bytes of TFLite's scalar fixed-point arithmetic, for both roundings. */
class RowRequantTest {

    @Test
    void vectorPathIsChosenWhereTheHardwareHasIt() {
        RowRequant r = RowRequant.create(new int[8], new int[8], new int[8], 0, -128, 127);
        if (LongVector.SPECIES_PREFERRED.length() >= 8 && !Boolean.getBoolean("quanta.scalar")) {
            assertInstanceOf(VectorRequant.class, r);
        }
    }

    @Test
    void tileSumsGiveTheBytesOfIntSums() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            // Sums started from MAGIC (within +-2^22, read from their bits) or from 0 (within +-2^24, converted).
            boolean magic = trial % 2 == 0;
            int bound = magic ? ExactGemm.MAGIC_BOUND - 1 : ExactGemm.EXACT;
            int n = 1 + rnd.nextInt(40);
            int stride = n + rnd.nextInt(17); // the tiles' rows are padded to the vector width
            int pixels = 1 + rnd.nextInt(6);
            int[] bias = new int[n];
            int[] multipliers = new int[n];
            int[] shifts = new int[n];
            for (int c = 0; c < n; c++) {
                // Now and then a bias or a left shift wide enough for the int32 sum to wrap, as it does in TFLite.
                bias[c] = trial % 10 < 2 && c == n / 2
                        ? (rnd.nextBoolean() ? Integer.MAX_VALUE - rnd.nextInt(1 << 20) : Integer.MIN_VALUE + 5)
                        : rnd.nextInt(1 << 22) - (1 << 21);
                multipliers[c] = rnd.nextInt(8) == 0 ? 0 : (1 << 30) + rnd.nextInt(1 << 30);
                shifts[c] = trial % 7 == 0 ? rnd.nextInt(8) : -rnd.nextInt(32);
            }
            float[] sums = new float[pixels * stride];
            int[] acc = new int[pixels * n];
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < n; c++) {
                    int s = switch (rnd.nextInt(3)) {
                        case 0 -> rnd.nextInt(2 * bound + 1) - bound; // the whole exact range
                        case 1 -> (rnd.nextInt(1 << 10) - (1 << 9)) << rnd.nextInt(12); // ties
                        default -> rnd.nextBoolean() ? bound : -bound;
                    };
                    sums[p * stride + c] = magic ? ExactGemm.MAGIC + s : s;
                    acc[p * n + c] = s;
                }
            }
            int zeroPoint = trial % 3 == 0 ? -128 : trial % 3 == 1 ? 127 : rnd.nextInt(256) - 128;
            for (boolean ruy : new boolean[] {true, false}) {
                ConvQuant q = new ConvQuant(
                        bias,
                        multipliers,
                        shifts,
                        0,
                        zeroPoint,
                        -128,
                        127,
                        RowRequant.create(bias, multipliers, shifts, zeroPoint, -128, 127));
                byte[] fromTiles = new byte[acc.length];
                q.storeTileRows(sums, pixels, stride, magic, new int[acc.length], fromTiles, 0, ruy);
                byte[] fromInts = new byte[acc.length];
                q.storeRowsScalar(acc, pixels, fromInts, 0, ruy, 0);
                assertArrayEquals(
                        fromInts,
                        fromTiles,
                        "trial " + trial + ", " + n + " channels, magic " + magic + ", ruy " + ruy);
            }
        }
    }

    @Test
    void rowsMatchTheScalarFixedPointForBothRoundings() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(40); // channel counts below, at and off the vector width
            int pixels = 1 + rnd.nextInt(5);
            int[] bias = new int[n];
            int[] multipliers = new int[n];
            int[] shifts = new int[n];
            for (int c = 0; c < n; c++) {
                bias[c] = rnd.nextInt(1 << 20) - (1 << 19);
                multipliers[c] = rnd.nextInt(8) == 0 ? 0 : (1 << 30) + rnd.nextInt(1 << 30);
                shifts[c] = rnd.nextInt(12) - 10; // mostly right shifts, some left
            }
            int zeroPoint = trial % 3 == 0 ? -128 : trial % 3 == 1 ? 127 : rnd.nextInt(256) - 128;
            int actMin = trial % 2 == 0 ? -128 : zeroPoint;
            int[] acc = new int[pixels * n];
            for (int i = 0; i < acc.length; i++) {
                // Wide sums, ties (multiples of a power of two) and the int32 extremes.
                acc[i] = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt();
                    case 1 -> (rnd.nextInt(1 << 16) - (1 << 15)) << rnd.nextInt(12);
                    case 2 -> rnd.nextInt(1 << 12) - (1 << 11);
                    default -> rnd.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                };
            }
            for (boolean ruy : new boolean[] {true, false}) {
                ConvQuant q = new ConvQuant(
                        bias,
                        multipliers,
                        shifts,
                        0,
                        zeroPoint,
                        actMin,
                        127,
                        RowRequant.create(bias, multipliers, shifts, zeroPoint, actMin, 127));
                byte[] fast = new byte[acc.length];
                q.storeRows(acc, pixels, fast, 0, ruy);
                byte[] expected = new byte[acc.length];
                for (int p = 0; p < pixels; p++) {
                    for (int c = 0; c < n; c++) {
                        int sum = acc[p * n + c] + bias[c];
                        int scaled = ruy
                                ? FixedPoint.multiplyByQuantizedMultiplierRuy(sum, multipliers[c], shifts[c])
                                : FixedPoint.multiplyByQuantizedMultiplier(sum, multipliers[c], shifts[c]);
                        expected[p * n + c] = (byte) Math.max(actMin, Math.min(127, scaled + zeroPoint));
                    }
                }
                assertArrayEquals(expected, fast, "trial " + trial + ", " + n + " channels, ruy " + ruy);
            }
        }
    }
}
