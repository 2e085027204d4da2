package io.quanta.data;

import java.util.SplittableRandom;

/** Which samples of a dataset to use when only N of them are wanted. */
public final class Sampling {
    private Sampling() {}

    /**
     * N indices spread evenly over [0, size): index floor(i * size / N) for i = 0..N-1, so a dataset sorted
     * by class still gives every class its share. N ≥ size gives every index once.
     */
    public static int[] evenly(int size, int n) {
        check(size, n);
        int m = Math.min(n, size);
        int[] idx = new int[m];
        for (int k = 0; k < m; k++) {
            idx[k] = (int) ((long) k * size / m);
        }
        return idx;
    }

    /**
     * N distinct indices drawn at random without replacement, reproducible from the seed (a partial
     * Fisher-Yates shuffle), returned in the order drawn. N ≥ size gives a permutation of every index.
     */
    public static int[] random(int size, int n, long seed) {
        check(size, n);
        int m = Math.min(n, size);
        int[] pool = new int[size];
        for (int k = 0; k < size; k++) {
            pool[k] = k;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int k = 0; k < m; k++) {
            int j = k + rnd.nextInt(size - k);
            int t = pool[k];
            pool[k] = pool[j];
            pool[j] = t;
        }
        return java.util.Arrays.copyOf(pool, m);
    }

    /**
     * What {@code --samples N} selects: N samples spread evenly, or, with a seed, N drawn at random; the
     * whole dataset when N is absent (≤ 0) or its size. Asking for more samples than the dataset holds is an
     * error: quietly using fewer would calibrate or measure on less than the user believes.
     */
    public static Dataset take(Dataset dataset, int n, Long seed) {
        if (n > dataset.size()) {
            throw new DatasetException(dataset.describe() + ": holds " + dataset.size() + " samples, fewer than the "
                    + n + " asked for (ask for at most " + dataset.size() + ", or for all by giving no count)");
        }
        if (n <= 0 || (n == dataset.size() && seed == null)) {
            return dataset;
        }
        return dataset.select(seed == null ? evenly(dataset.size(), n) : random(dataset.size(), n, seed));
    }

    private static void check(int size, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("the number of samples must be positive, got " + n);
        }
        if (size <= 0) {
            throw new DatasetException("the dataset is empty: cannot take " + n + " samples");
        }
    }
}
