package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading 16-bit PCM WAV headers and frames: the shared micro_speech files, odd layouts, and refusals. */
class WavFileTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheSharedSpeechFiles() throws Exception {
        Path yes = SharedAssets.data("speech_wav/yes_1000ms.wav");
        WavFile wav = WavFile.open(yes);
        assertEquals(new WavFile.Header(1, 16000, 44, 16000), wav.header());
        assertEquals(
                480,
                WavFile.open(SharedAssets.data("speech_wav/no_30ms.wav"))
                        .header()
                        .frames());

        // Frames 100..299 against the file's bytes decoded here: little-endian int16 from byte 44.
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(yes)).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[200];
        for (int k = 0; k < 200; k++) {
            expected[k] = raw.getShort(44 + 2 * (100 + k)) / 32768f;
        }
        float[] got = new float[200];
        assertEquals(200, wav.readMono(100, 200, got));
        assertArrayEquals(expected, got);
        assertEquals(-7 / 32768f, readOne(wav, 0)); // f9ff: the first sample of yes_1000ms.wav

        // Past the end: the frames that exist, then zeros.
        float[] tail = new float[10];
        assertEquals(4, wav.readMono(15996, 10, tail));
        assertEquals(0f, tail[4]);
        assertEquals(raw.getShort(44 + 2 * 15999) / 32768f, tail[3]);
    }

    @Test
    void skipsUnknownChunksWithTheirPadByteAndAcceptsExtensiblePcm() throws Exception {
        Path odd = WavFiles.riff()
                .chunk("LIST", new byte[] {1, 2, 3})
                .fmt(1, 1, 8000, 16)
                .chunk("fact", new byte[5])
                .data((short) -32768, (short) 32767, (short) 1)
                .write(tmp.resolve("odd.wav"));
        WavFile w = WavFile.open(odd);
        assertEquals(3, w.header().frames());
        assertEquals(12 + 8 + 4 + 8 + 16 + 8 + 6 + 8, w.header().dataOffset());
        float[] v = new float[3];
        w.readMono(0, 3, v);
        assertArrayEquals(new float[] {-1f, 32767 / 32768f, 1 / 32768f}, v);

        Path ext = WavFiles.riff()
                .fmtExtensible(1, 1, 8000, 16)
                .data((short) 5, (short) -5)
                .write(tmp.resolve("ext.wav"));
        assertEquals(
                new WavFile.Header(1, 8000, 12 + 8 + 40 + 8, 2),
                WavFile.open(ext).header());

        // data before fmt is allowed: both are found.
        Path late = WavFiles.riff().data((short) 1).fmt(1, 1, 8000, 16).write(tmp.resolve("late.wav"));
        assertEquals(1, WavFile.open(late).header().frames());
    }

    @Test
    void mixesChannelsToMonoByTheirMean() throws Exception {
        Path stereo = WavFiles.riff()
                .fmt(1, 2, 16000, 16)
                .data((short) 100, (short) 300, (short) -32768, (short) -32768, (short) 1, (short) 2)
                .write(tmp.resolve("stereo.wav"));
        WavFile w = WavFile.open(stereo);
        assertEquals(3, w.header().frames());
        float[] v = new float[3];
        w.readMono(0, 3, v);
        assertArrayEquals(new float[] {200 / 32768f, -1f, 1.5f / 32768f}, v);
    }

    @Test
    void refusesOtherSampleFormatsInOneLine() throws Exception {
        assertRefused(WavFiles.riff().fmt(1, 1, 8000, 8).data((short) 0), "8-bit PCM");
        assertRefused(WavFiles.riff().fmt(1, 1, 8000, 24).chunk("data", new byte[6]), "24-bit PCM");
        assertRefused(WavFiles.riff().fmt(1, 1, 8000, 32).chunk("data", new byte[8]), "32-bit PCM");
        assertRefused(WavFiles.riff().fmt(3, 1, 8000, 32).chunk("data", new byte[8]), "32-bit float");
        assertRefused(WavFiles.riff().fmtExtensible(3, 1, 8000, 32).chunk("data", new byte[8]), "32-bit float");
        assertRefused(WavFiles.riff().fmt(7, 1, 8000, 8).chunk("data", new byte[8]), "mu-law");
        assertRefused(WavFiles.riff().fmt(1, 0, 8000, 16).data((short) 0), "0 channels");
        assertRefused(WavFiles.riff().fmt(1, 1, 0, 16).data((short) 0), "sample rate of 0");
    }

    @Test
    void refusesBrokenLayouts() throws Exception {
        assertRefused(tmp.resolve("empty.wav"), new byte[0], "ends inside its header");
        assertRefused(tmp.resolve("text.wav"), "just some text, not audio".getBytes(), "no RIFF/WAVE header");
        assertRefused(WavFiles.riff().fmt(1, 1, 8000, 16), "no data chunk");
        assertRefused(WavFiles.riff().data((short) 1), "no fmt chunk");
        assertRefused(WavFiles.riff().fmt(1, 1, 8000, 16).chunk("data", new byte[0]), "holds no audio");
        assertRefused(
                WavFiles.riff().fmt(1, 2, 8000, 16).data((short) 1, (short) 2, (short) 3),
                "whole number of 4-byte frames");
        assertRefused(
                WavFiles.riff().fmt(1, 1, 8000, 16).header("data", 1000).data((short) 1),
                "declares 1000 bytes but only");
        assertRefused(WavFiles.riff().header("fmt ", 8), "bad fmt chunk");
    }

    /** A header declaring 4 GiB of samples or 65535 channels costs a few bytes to refuse, not the declared amount. */
    @Test
    void absurdSizesAreRefusedBeforeAnythingIsAllocated() throws Exception {
        Path huge = WavFiles.riff()
                .fmt(1, 1, 16000, 16)
                .header("data", 0xFFFF_FFF0L)
                .data((short) 1)
                .write(tmp.resolve("huge.wav"));
        Path channels = WavFiles.riff().fmt(1, 65535, 16000, 16).data((short) 1).write(tmp.resolve("channels.wav"));
        Path hugeFmt =
                WavFiles.riff().header("fmt ", 0xFFFF_FFF0L).data((short) 1).write(tmp.resolve("fmt.wav"));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        DatasetException e1 = assertThrows(DatasetException.class, () -> WavFile.open(huge));
        DatasetException e2 = assertThrows(DatasetException.class, () -> WavFile.open(channels));
        DatasetException e3 = assertThrows(DatasetException.class, () -> WavFile.open(hugeFmt));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4 << 20, "refusing took " + allocated + " bytes");
        assertTrue(e1.getMessage().contains("declares 4294967280 bytes"), e1.getMessage());
        assertTrue(e2.getMessage().contains("65535 channels"), e2.getMessage());
        assertTrue(e3.getMessage().contains("bad fmt chunk"), e3.getMessage());
    }

    @Test
    void manyTinyChunksAreBounded() throws Exception {
        WavFiles w = WavFiles.riff();
        for (int k = 0; k <= WavFile.MAX_CHUNKS; k++) {
            w.chunk("junk", new byte[0]);
        }
        assertRefused(w.fmt(1, 1, 8000, 16).data((short) 1), "more than 4096 chunks");
    }

    private static float readOne(WavFile w, long frame) {
        float[] v = new float[1];
        w.readMono(frame, 1, v);
        return v[0];
    }

    private void assertRefused(WavFiles wav, String expected) throws Exception {
        assertRefused(tmp.resolve("bad" + System.nanoTime() + ".wav"), wav.bytes(), expected);
    }

    private void assertRefused(Path file, byte[] bytes, String expected) throws Exception {
        Files.write(file, bytes);
        DatasetException e = assertThrows(DatasetException.class, () -> WavFile.open(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }
}
