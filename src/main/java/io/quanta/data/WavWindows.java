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
}
