package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.Dataset;
import io.quanta.data.NdArray;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleFeeder;
import io.quanta.pipeline.Pipeline;
import io.quanta.quantize.QuantizationMode;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 11 acceptance, 16x8: every shared float model quantized with {@code --mode int16x8} (calibrated on the same
 * 100 samples as int8) loads and runs in TFLite 2.21; on up to 100 samples of its real data (random samples in its
 * input range where ../shared has none), Quanta's interpreter gives every output element of TFLite's bit for bit;
 * and the output SQNR against the float model (all in TFLite) is printed for int8 and 16x8 side by side, with the ops
 * that stay int8 or float and why. The figures also go to target/int16x8-report.json.
 */
@Slow
class Int16x8ModelsTest {
    static final int SAMPLES = 100;
    private static final List<String> JSON = new ArrayList<>();

    static Stream<Path> floatModels() {
        return SharedAssets.floatModels();
    }

    static Pipeline.Outcome int16x8(Path floatModel) {
        return Runs.quantize(floatModel, QuantizationOptions.defaults().withMode(QuantizationMode.INT16X8), "int16x8");
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void quantizesRunsInTfLiteAndMatchesBitForBit(Path floatModel) {
        String name = Runs.stem(floatModel);
        Pipeline.Outcome o16 = int16x8(floatModel);
        Path q16 = o16.model();
        Path q8 = Runs.int8(floatModel).model();
        Model m16 = ModelReader.read(q16);
        Subgraph g = m16.mainGraph();
        Dataset floatSamples = Runs.samples(floatModel, ModelReader.read(floatModel), SAMPLES);
        Dataset samples = Runs.samples(floatModel, m16, SAMPLES);
        Interpreter ours = new Interpreter(g, Pipeline.quantizedKernels());
        long elements = 0;
        long identical = 0;
        Sqnr sqnr8 = new Sqnr();
        Sqnr sqnr16 = new Sqnr();
        try (TfLiteRuntime f = new TfLiteRuntime(floatModel);
                TfLiteRuntime t8 = new TfLiteRuntime(q8);
                TfLiteRuntime t16 = new TfLiteRuntime(q16)) {
            for (int s = 0; s < samples.size(); s++) {
                List<NdArray> sample = samples.sample(s);
                f.invoke(floatSamples.sample(s));
                t8.invoke(sample);
                t16.invoke(sample);
                ours.resetVariables();
                SampleFeeder.feed(ours, sample, samples.sourceOf(s));
                ours.invoke();
                for (int out = 0; out < g.outputs().length; out++) {
                    byte[] theirs = t16.output(out);
                    byte[] mine = SingleOpModels.toBytes(ours.output(out));
                    int width = Math.max(1, g.outputTensor(out).type().byteSize());
                    for (int k = 0; k < theirs.length / width; k++) {
                        elements++;
                        if (Arrays.equals(theirs, k * width, (k + 1) * width, mine, k * width, (k + 1) * width)) {
                            identical++;
                        }
                    }
                }
                if (g.outputTensor(0).type() == DataType.FLOAT32) {
                    float[] ref = f.outputFloats(0);
                    sqnr8.add(ref, t8.outputFloats(0));
                    sqnr16.add(ref, t16.outputFloats(0));
                }
            }
        }
        List<String> notInt16 = new ArrayList<>();
        if (o16.report().int8Ops() != null) {
            o16.report()
                    .int8Ops()
                    .forEach(op -> notInt16.add("#" + op.index() + " " + op.opType() + ": " + op.reason()));
        }
        o16.report()
                .floatFallbackOps()
                .forEach(op -> notInt16.add("#" + op.index() + " " + op.opType() + ": float, " + op.reason()));
        long int16Ops = g.operators().stream()
                .filter(op -> op.type() != io.quanta.graph.OpType.QUANTIZE
                        && op.outputCount() > 0
                        && g.tensor(op.output(0)).type() == DataType.INT16)
                .count();
        String line = String.format(
                Locale.ROOT,
                "{\"model\": \"%s\", \"samples\": %d, \"int8SqnrDb\": %.2f, \"int16x8SqnrDb\": %.2f, "
                        + "\"int16Ops\": %d, \"bitIdentical\": \"%d/%d\", \"notInt16\": [%s]}",
                name,
                samples.size(),
                sqnr8.db(),
                sqnr16.db(),
                int16Ops,
                identical,
                elements,
                String.join(
                        ", ",
                        notInt16.stream()
                                .map(s -> "\"" + s.replace("\"", "'") + "\"")
                                .toList()));
        System.out.println("16x8 " + line);
        synchronized (JSON) {
            JSON.add(line);
        }
        assertTrue(elements > 0, name + ": nothing compared");
        assertEquals(elements, identical, name + ": " + identical + " of " + elements + " output elements identical");
        assertTrue(int16Ops > 0, name + ": no op runs in int16");
    }

    @AfterAll
    static void writeReport() throws IOException {
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "int16x8-report.json"), "[\n  " + String.join(",\n  ", JSON) + "\n]\n");
    }

    /** Output SQNR over all samples: 10 log10(sum ref^2 / sum (ref - q)^2). */
    static final class Sqnr {
        double signal;
        double noise;

        void add(float[] ref, float[] q) {
            for (int k = 0; k < ref.length; k++) {
                signal += (double) ref[k] * ref[k];
                double d = (double) ref[k] - q[k];
                noise += d * d;
            }
        }

        double db() {
            return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        }
    }
}
