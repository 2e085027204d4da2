package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.testing.Slow;
import io.quanta.testing.SpeechWav;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of the shared WAV files (byte flips, overwritten sizes and counts, truncation, appended
 * junk): every mutant opens and reads as a dataset or is refused with a one-line DatasetException, and none
 * allocates more than a sample's worth of memory. Slow only for the file writes (about 5 ms each here).
 */
@Slow
class WavMutationTest {
    static final int MUTANTS = 1000;
    /** Headers are where the sizes live: most mutations land in the first 64 bytes. */
    static final int HEADER = 64;

    @TempDir
    Path tmp;

    @Test
    void everyMutantReadsOrIsATypedRefusal() throws Exception {
        List<byte[]> seeds = List.of(
                Files.readAllBytes(SpeechWav.file("yes_30ms")),
                Files.readAllBytes(SpeechWav.file("no_30ms")),
                stereoExtensible());
        InputSpec in = new InputSpec("audio", DataType.FLOAT32, new int[] {1, 480}, null);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SplittableRandom rnd = new SplittableRandom(20261204);
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        Path file = tmp.resolve("m.wav");
        for (int k = 0; k < MUTANTS; k++) {
            byte[] m = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
            Files.write(file, m);
            long before = threads.getCurrentThreadAllocatedBytes();
            String outcome;
            try {
                Dataset ds = Datasets.open(
                        List.of(file),
                        List.of(in),
                        DatasetReading.AUTO.withWav(160, rnd.nextBoolean() ? 0 : 8000),
                        null);
                ds.sample(0);
                ds.sample(ds.size() - 1);
                outcome = "read";
            } catch (DatasetException e) {
                assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("Exception"), e.getMessage());
                outcome = "refused";
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 8 << 20, "mutant " + k + " took " + allocated + " bytes");
            outcomes.merge(outcome, 1, Integer::sum);
        }
        // Both outcomes occur: the mutations reach the checks and also leave files that are still valid.
        assertTrue(
                outcomes.getOrDefault("read", 0) > 100 && outcomes.getOrDefault("refused", 0) > 100,
                outcomes.toString());
    }

    private static byte[] mutate(byte[] seed, SplittableRandom rnd) {
        byte[] b = seed.clone();
        switch (rnd.nextInt(5)) {
            case 0 -> { // flip bytes, mostly in the header
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    int at = rnd.nextInt(4) == 0 ? rnd.nextInt(b.length) : rnd.nextInt(Math.min(HEADER, b.length));
                    b[at] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // overwrite a 32-bit field of the header with an extreme or random value
                int at = rnd.nextInt(Math.min(HEADER, b.length) - 4);
                int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1, 0xFFFF, 0x10000, rnd.nextInt()};
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, extremes[rnd.nextInt(extremes.length)]);
            }
            case 2 -> { // overwrite a 16-bit field (channels, bits, block align, format tag)
                int at = rnd.nextInt(Math.min(HEADER, b.length) - 2);
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) rnd.nextInt(1 << 16));
            }
            case 3 -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length)); // truncate anywhere
            default -> { // append junk: a trailing partial chunk or garbage
                byte[] extra = new byte[1 + rnd.nextInt(16)];
                rnd.nextBytes(extra);
                byte[] c = java.util.Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, c, b.length, extra.length);
                b = c;
            }
        }
        return b;
    }

    /** A stereo WAVE_FORMAT_EXTENSIBLE seed with an odd-sized unknown chunk before its data. */
    private static byte[] stereoExtensible() {
        short[] samples = new short[2 * 600];
        for (int k = 0; k < samples.length; k++) {
            samples[k] = (short) (Math.sin(k * 0.05) * 12000);
        }
        return WavFiles.riff()
                .fmtExtensible(1, 2, 16000, 16)
                .chunk("LIST", new byte[] {7, 7, 7})
                .data(samples)
                .bytes();
    }
}
