package io.quanta.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.Dataset;
import io.quanta.data.NdArray;
import io.quanta.graph.Model;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SharedModelData;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every float model in ../shared/models/float, in Quanta's float interpreter against TFLite 2.21 on identical
 * inputs: max |ours - TFLite| <= 1e-4 * max(1, max |TFLite|) on every output.
 */
@Slow
class FloatModelConformanceTest {
    static final double TOLERANCE = 1e-4;

    static Stream<String> floatModels() {
        return SharedAssets.floatModels().map(p -> p.getFileName().toString());
    }

    static Stream<String> mnistModels() {
        return floatModels()
                .filter(f -> ModelInputs.takesMnist(
                        ModelReader.read(SharedAssets.floatModel(f)).mainGraph()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floatModels")
    void agreesWithTfLite(String file) {
        Path path = SharedAssets.floatModel(file);
        Model model = ModelReader.read(path);
        Interpreter ours = new Interpreter(model.mainGraph(), FloatKernels.registry());
        List<List<NdArray>> samples = ModelInputs.samples(file, model.mainGraph(), 8, 7);
        double worstRatio = 0;
        try (TfLiteRuntime tflite = new TfLiteRuntime(path)) {
            for (List<NdArray> sample : samples) {
                ours.resetVariables();
                tflite.resetVariables();
                SampleFeeder.feed(ours, sample, file);
                for (int i = 0; i < sample.size(); i++) {
                    tflite.setInput(i, SharedModelData.rawBytes(sample.get(i)));
                }
                ours.invoke();
                tflite.invoke();
                for (int o = 0; o < tflite.outputCount(); o++) {
                    TensorValue got = ours.output(o);
                    assertArrayEquals(tflite.outputShape(o), got.shape(), file + " output " + o + " shape");
                    double[] ref = asDoubles(tflite.output(o), tflite.outputType(o));
                    double scale = 1;
                    double worst = 0;
                    for (int k = 0; k < ref.length; k++) {
                        scale = Math.max(scale, Math.abs(ref[k]));
                        worst = Math.max(worst, Math.abs(ref[k] - got.getAsDouble(k)));
                    }
                    worstRatio = Math.max(worstRatio, worst / scale);
                    assertTrue(
                            worst <= TOLERANCE * scale,
                            file + " output " + o + ": max |ours - TFLite| = " + worst + " > " + TOLERANCE + " * "
                                    + scale);
                }
            }
        }
        System.out.printf(
                "conformance %-42s %d samples, max |ours - TFLite| / max(1,|TFLite|) = %.3g%n",
                file, samples.size(), worstRatio);
    }

    /** All 10 000 digits: argmax agreement with TFLite >= 99.9 %, and the same accuracy against the labels. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mnistModels")
    void mnistArgmaxAgreesOnAllDigits(String file) {
        Path path = SharedAssets.floatModel(file);
        Model model = ModelReader.read(path);
        Interpreter ours = new Interpreter(model.mainGraph(), FloatKernels.registry());
        Dataset digits = ModelInputs.mnist(model.mainGraph());
        int agree = 0;
        int oursCorrect = 0;
        int tfliteCorrect = 0;
        try (TfLiteRuntime tflite = new TfLiteRuntime(path)) {
            for (int k = 0; k < digits.size(); k++) {
                List<NdArray> sample = digits.sample(k);
                ours.resetVariables();
                tflite.resetVariables();
                SampleFeeder.feed(ours, sample, file);
                tflite.setInput(0, SharedModelData.rawBytes(sample.get(0)));
                ours.invoke();
                tflite.invoke();
                int a = argmax(ours.output(0));
                int b = argmax(asDoubles(tflite.output(0), tflite.outputType(0)));
                agree += a == b ? 1 : 0;
                oursCorrect += a == digits.label(k) ? 1 : 0;
                tfliteCorrect += b == digits.label(k) ? 1 : 0;
            }
        }
        double n = digits.size();
        System.out.printf(
                "mnist %-40s argmax agreement %.4f, top-1 ours %.4f, TFLite %.4f%n",
                file, agree / n, oursCorrect / n, tfliteCorrect / n);
        assertEquals(10_000, digits.size());
        assertTrue(agree / n >= 0.999, file + ": argmax agreement " + agree / n);
        assertEquals(tfliteCorrect / n, oursCorrect / n, 0.001, file + ": top-1 accuracy");
    }

    private static int argmax(TensorValue v) {
        int best = 0;
        for (int k = 1; k < v.size(); k++) {
            if (v.getAsDouble(k) > v.getAsDouble(best)) {
                best = k;
            }
        }
        return best;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Output bytes by TfLiteType code (1 float32, 2 int32, 3 uint8, 4 int64, 9 int8). */
    static double[] asDoubles(byte[] raw, int tfLiteType) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return switch (tfLiteType) {
            case 1 -> {
                double[] d = new double[raw.length / 4];
                for (int k = 0; k < d.length; k++) d[k] = b.getFloat(4 * k);
                yield d;
            }
            case 2 -> {
                double[] d = new double[raw.length / 4];
                for (int k = 0; k < d.length; k++) d[k] = b.getInt(4 * k);
                yield d;
            }
            case 4 -> {
                double[] d = new double[raw.length / 8];
                for (int k = 0; k < d.length; k++) d[k] = b.getLong(8 * k);
                yield d;
            }
            case 3 -> {
                double[] d = new double[raw.length];
                for (int k = 0; k < d.length; k++) d[k] = raw[k] & 0xff;
                yield d;
            }
            case 9 -> {
                double[] d = new double[raw.length];
                for (int k = 0; k < d.length; k++) d[k] = raw[k];
                yield d;
            }
            default -> throw new IllegalArgumentException("output type code " + tfLiteType);
        };
    }
}
