package io.quanta.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.cli.Main;
import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.graph.Model;
import io.quanta.graph.Shapes;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SharedModelData;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code quanta run} on every float model in ../shared/models/float: the batch goes in as .npy files, and every
 * sample of every output file matches TFLite 2.21 within 1e-4 * max(1, max |TFLite|).
 */
@Slow
class CliRunConformanceTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<String> floatModels() {
        return FloatModelConformanceTest.floatModels();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floatModels")
    void runMatchesTfLite(String file) throws Exception {
        Path model = SharedAssets.floatModel(file);
        Model m = ModelReader.read(model);
        List<List<NdArray>> samples = ModelInputs.samples(file, m.mainGraph(), 4, 11);
        int inputs = m.mainGraph().inputs().length;
        int outputs = m.mainGraph().outputs().length;
        List<String> args = new ArrayList<>(List.of("run", model.toString()));
        for (int i = 0; i < inputs; i++) {
            Path in = dir.resolve("in" + i + ".npy");
            Npy.write(in, stack(samples, i));
            args.addAll(List.of("--input", in.toString()));
        }
        for (int o = 0; o < outputs; o++) {
            args.addAll(List.of("--output", dir.resolve("out" + o + ".npy").toString()));
        }
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Main())
                .setOut(new PrintWriter(new StringWriter(), true))
                .setErr(new PrintWriter(err, true))
                .execute(args.toArray(String[]::new));
        assertEquals(0, code, file + ": " + err);

        try (TfLiteRuntime tflite = new TfLiteRuntime(model)) {
            for (int o = 0; o < outputs; o++) {
                NdArray got = Npy.read(dir.resolve("out" + o + ".npy"));
                assertEquals(samples.size(), got.dim(0), file + " output " + o + " sample axis");
                int per = got.size() / samples.size();
                for (int s = 0; s < samples.size(); s++) {
                    tflite.resetVariables();
                    for (int i = 0; i < inputs; i++) {
                        tflite.setInput(
                                i, SharedModelData.rawBytes(samples.get(s).get(i)));
                    }
                    tflite.invoke();
                    double[] ref = FloatModelConformanceTest.asDoubles(tflite.output(o), tflite.outputType(o));
                    assertEquals(ref.length, per, file + " output " + o + " elements per sample");
                    double scale = 1;
                    double worst = 0;
                    for (int k = 0; k < per; k++) {
                        scale = Math.max(scale, Math.abs(ref[k]));
                        worst = Math.max(worst, Math.abs(ref[k] - element(got, s * per + k)));
                    }
                    assertTrue(worst <= 1e-4 * scale, file + " output " + o + " sample " + s + ": max diff " + worst);
                }
            }
        }
    }

    /** Samples of input i stacked on a new first axis (the model input's leading 1 becomes the sample axis). */
    private static NdArray stack(List<List<NdArray>> samples, int input) {
        NdArray first = samples.get(0).get(input);
        int[] shape = first.shape();
        int[] stacked;
        if (shape.length > 0 && shape[0] == 1) {
            stacked = shape.clone();
            stacked[0] = samples.size();
        } else {
            stacked = new int[shape.length + 1];
            stacked[0] = samples.size();
            System.arraycopy(shape, 0, stacked, 1, shape.length);
        }
        int per = Shapes.size(shape);
        Object data = Array.newInstance(first.data().getClass().getComponentType(), per * samples.size());
        for (int s = 0; s < samples.size(); s++) {
            System.arraycopy(samples.get(s).get(input).data(), 0, data, s * per, per);
        }
        return switch (first.dtype()) {
            case FLOAT32 -> NdArray.ofFloats(stacked, (float[]) data);
            case INT32 -> NdArray.ofInts(stacked, (int[]) data);
            case INT64 -> NdArray.ofLongs(stacked, (long[]) data);
            default -> NdArray.ofBytes(first.dtype(), stacked, (byte[]) data);
        };
    }

    private static double element(NdArray a, int k) {
        Object d = a.data();
        if (d instanceof float[] f) {
            return f[k];
        }
        if (d instanceof int[] i) {
            return i[k];
        }
        if (d instanceof long[] l) {
            return l[k];
        }
        byte b = ((byte[]) d)[k];
        return a.dtype() == NdArray.DType.UINT8 ? b & 0xff : b;
    }
}
