package io.quanta.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * How much a dataset file may make Quanta hold, checked before memory is committed: bytes after decompression
 * (gzip IDX, .npz entries) or as declared by a header (.npy), and pixels per image (checked from the image
 * header, before decoding). Defaults scale with the heap; {@link #set} lets the CLI or the pod tighten them.
 */
public final class DataLimits {
    /** 30000 x 30000 is a bomb; the largest camera images are about 100 megapixels. */
    static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Entries of an .npz (numpy.savez writes one per array). */
    static final int MAX_NPZ_ENTRIES = 4096;

    private static volatile long maxBytes;
    private static volatile long maxPixels;

    private DataLimits() {}

    /** The most bytes one dataset may decode to: as set, else a quarter of the Java heap. */
    public static long maxBytes() {
        long b = maxBytes;
        return b > 0 ? b : Runtime.getRuntime().maxMemory() / 4;
    }

    /** The most pixels one image may have: as set, else 100 megapixels (and never more than maxBytes / 4). */
    public static long maxPixels() {
        long p = maxPixels;
        return Math.min(p > 0 ? p : DEFAULT_MAX_PIXELS, maxBytes() / 4);
    }

    /** Sets both caps for this process; 0 or less restores a default. */
    public static void set(long bytes, long pixels) {
        maxBytes = bytes;
        maxPixels = pixels;
    }

    /** Refuses a declared size above {@link #maxBytes()} with a one-line error naming the file. */
    static void checkBytes(Path file, long bytes, String what) {
        if (bytes > maxBytes()) {
            throw DatasetException.of(
                    file,
                    what + " needs " + bytes + " bytes, more than the " + maxBytes() + " allowed for one dataset");
        }
    }

    /** Reads a whole stream, failing as soon as it passes {@code cap} bytes (a decompression bomb stops there). */
    /**
     * The most bytes a labels or class-names file may have: its lines are held as strings, which cost some 30
     * times their bytes for short lines, so a 32nd of {@link #maxBytes()}.
     */
    static long maxTextBytes() {
        return maxBytes() / 32;
    }

    /** Refuses a file of {@code size} bytes above {@code cap} before any of it is read. */
    static void checkFileSize(Path file, long size, long cap, String what) {
        if (size > cap) {
            throw DatasetException.of(
                    file, what + " of " + size + " bytes is larger than the " + cap + " bytes allowed for one dataset");
        }
    }

    static byte[] readCapped(InputStream in, long cap, Path file, String what) throws IOException {
        byte[] buf = new byte[(int) Math.min(cap + 1, 1 << 16)];
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(buf.length);
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > cap) {
                throw DatasetException.of(
                        file, what + " decompresses to more than the " + cap + " bytes allowed for one dataset");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
