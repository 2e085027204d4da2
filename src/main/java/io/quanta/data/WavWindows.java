package io.quanta.data;

/**
 * The arithmetic of cutting audio into model-sized samples, apart from any file: how long a file is once
 * resampled, how many windows it gives, and the linear-interpolation resampling itself. Positions are exact
 * (whole-number ratios, no accumulated rounding): resampled sample j lies at source position j x from / to.
 */
public final class WavWindows {
    /** Resampling further than this factor either way is refused: linear interpolation would only alias. */
    public static final int MAX_RATIO = 64;

    private WavWindows() {}

    /** Length of {@code frames} samples at {@code from} Hz resampled to {@code to} Hz (at least 1). */
    public static long resampledLength(long frames, int from, int to) {
        if (from == to) {
            return frames;
        }
        return Math.max(1, frames * to / from);
    }

    /**
     * Samples a file of {@code n} (resampled) samples gives for windows of {@code length}: one when {@code hop}
     * is 0 or the file is not longer than a window (zero-padded), else one window every {@code hop} samples
     * that fits wholly in the file (the tail after the last one is dropped).
     */
    public static long windowCount(long n, int length, int hop) {
        if (hop == 0 || n <= length) {
            return 1;
        }
        return (n - length) / hop + 1;
    }

    /** The first source frame window output [start, start + length) reads (resampled index start). */
    public static long firstSourceFrame(long start, int from, int to) {
        return start * from / to;
    }

    /** How many source frames from {@link #firstSourceFrame} cover a window: up to one past the last position. */
    public static int sourceSpan(long start, int length, int from, int to) {
        long last = (start + length - 1) * from / to;
        return Math.toIntExact(last - firstSourceFrame(start, from, to) + 2);
    }

    /**
     * Fills {@code out[0..length)} with resampled samples start..start+length-1 of a file whose resampled length
     * is {@code n}: samples at or past {@code n} are 0 (padding). {@code src[k]} is source frame
     * {@code srcFirst + k}, of which the first {@code srcValid} are in the file; each output is the linear
     * interpolation of the two source frames around its position (the last frame held past the file's end).
     */
    public static void resample(
            float[] src, int srcValid, long srcFirst, long start, int length, long n, int from, int to, float[] out) {
        for (int j = 0; j < length; j++) {
            long t = start + j;
            if (t >= n) {
                out[j] = 0f;
                continue;
            }
            long num = t * from;
            int i0 = (int) (num / to - srcFirst);
            double frac = (double) (num % to) / to;
            float a = src[i0];
            float b = i0 + 1 < srcValid ? src[i0 + 1] : a;
            out[j] = frac == 0 ? a : (float) (a + (b - a) * frac);
        }
    }

    /**
     * What cutting these files into samples does, in words (the dataset line): the sample rate kept or resampled
     * from, mixing to mono, and how windows of {@code length} are cut every {@code hop} (0: one per file), padded
     * and truncated. Arrays give each file's source rate, channels and frames.
     *
     * <p>{@code wav 44100->16000 Hz resampled (linear) in 2 of 3 files, 16000 Hz as stored in 1; 2 channels mixed to
     * mono (mean) in 1 of 3 files; one sample of 16000 per file, zero-padded in 2 of 3 files (shortest 8000
     * samples), truncated in 1 (longest 32000 samples)}
     */
    public static String describe(int[] rates, int[] channels, long[] frames, int to, int length, int hop) {
        int n = rates.length;
        java.util.TreeMap<Integer, Integer> byRate = new java.util.TreeMap<>();
        java.util.TreeMap<Integer, Integer> byChannels = new java.util.TreeMap<>();
        long[] resampled = new long[n];
        for (int f = 0; f < n; f++) {
            byRate.merge(rates[f], 1, Integer::sum);
            byChannels.merge(channels[f], 1, Integer::sum);
            resampled[f] = resampledLength(frames[f], rates[f], to);
        }
        StringBuilder b = new StringBuilder("wav ");
        if (byRate.size() == 1 && byRate.firstKey() == to) {
            b.append(to).append(" Hz");
        } else {
            String sep = "";
            for (var e : byRate.entrySet()) {
                b.append(sep)
                        .append(
                                e.getKey() == to
                                        ? to + " Hz as stored"
                                        : e.getKey() + "->" + to + " Hz resampled (linear)");
                b.append(" in ").append(e.getValue()).append(sep.isEmpty() ? " of " + files(n) : "");
                sep = ", ";
            }
        }
        int mono = byChannels.getOrDefault(1, 0);
        if (mono == n) {
            b.append(", mono");
        } else {
            for (var e : byChannels.entrySet()) {
                if (e.getKey() != 1) {
                    b.append("; ")
                            .append(e.getKey())
                            .append(" channels mixed to mono (mean) in ")
                            .append(e.getValue())
                            .append(" of ")
                            .append(files(n));
                }
            }
        }
        int padded = 0;
        int cut = 0;
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        long cutMost = 0;
        long windows = 0;
        for (long len : resampled) {
            windows += windowCount(len, length, hop);
            if (len < length) {
                padded++;
                shortest = Math.min(shortest, len);
            } else if (len > length) {
                long dropped = hop == 0 ? len - length : (len - length) % hop;
                if (dropped > 0) {
                    cut++;
                    longest = Math.max(longest, len);
                    cutMost = Math.max(cutMost, dropped);
                }
            }
        }
        b.append("; ");
        b.append(
                hop == 0
                        ? "one sample of " + length + " per file"
                        : "windows of " + length + " every " + hop + " samples (" + windows + " from " + files(n)
                                + ")");
        if (padded > 0) {
            b.append(", zero-padded in ")
                    .append(padded)
                    .append(" of ")
                    .append(files(n))
                    .append(" (shortest ")
                    .append(shortest)
                    .append(" samples)");
        }
        if (cut > 0) {
            b.append(
                    hop == 0
                            ? ", truncated in " + cut + " (longest " + longest + " samples)"
                            : ", the tail after the last window dropped in " + cut + " (at most " + cutMost
                                    + " samples)");
        }
        return b.toString();
    }

    private static String files(int n) {
        return n + (n == 1 ? " file" : " files");
    }
}
