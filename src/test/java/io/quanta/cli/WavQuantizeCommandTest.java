package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.quantize.QuantMath;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SingleOpModels.Spec;
import io.quanta.testing.SpeechWav;
import io.quanta.testing.TestGraph;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quantize and eval on WAV windows: a 30 ms audio classifier calibrated on the shared micro_speech files. */
class WavQuantizeCommandTest {
    static final int WINDOW = 480; // 30 ms at 16 kHz
    static final List<String> FILES =
            List.of("no_1000ms", "no_30ms", "noise_1000ms", "silence_1000ms", "yes_1000ms", "yes_30ms");

    @TempDir
    Path tmp;

    /** audio float32 [1, 480] -> FULLY_CONNECTED (4 classes) -> SOFTMAX. */
    static Model audioClassifier() {
        float[] w = new float[4 * WINDOW];
        for (int k = 0; k < w.length; k++) {
            w[k] = (float) Math.sin(k * 0.37) * 0.05f;
        }
        TestGraph b = new TestGraph();
        int in = b.input(Spec.of(DataType.FLOAT32, 1, WINDOW).name("audio"));
        int weights = b.tensor(Spec.floats(new int[] {4, WINDOW}, w).name("weights"));
        int bias = b.tensor(Spec.floats(new int[] {4}, 0.1f, -0.1f, 0.2f, 0f).name("bias"));
        int logits = b.tensor(Spec.of(DataType.FLOAT32, 1, 4).name("logits"));
        int probs = b.output(Spec.of(DataType.FLOAT32, 1, 4).name("probs"));
        b.op(
                OpType.FULLY_CONNECTED,
                9,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {in, weights, bias},
                new int[] {logits});
        b.op(OpType.SOFTMAX, new OpOptions.Softmax(1f), new int[] {logits}, new int[] {probs});
        return b.model();
    }

    /** speech/{no,noise,silence,yes}/*.wav from the shared files. */
    static Path classTree(Path root) throws Exception {
        for (String f : FILES) {
            Path to = root.resolve(f.substring(0, f.indexOf('_'))).resolve(f + ".wav");
            Files.createDirectories(to.getParent());
            Files.copy(SharedAssets.data("speech_wav/" + f + ".wav"), to);
        }
        return root;
    }

    @Test
    void calibratesOnWavWindowsAndEvaluatesWithFolderLabels() throws Exception {
        Path model = tmp.resolve("kws.tflite");
        ModelWriter.write(audioClassifier(), model);
        Path tree = classTree(tmp.resolve("speech"));
        Path out = tmp.resolve("kws_int8.tflite");
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "quantize",
                model.toString(),
                "--dataset",
                tree.toString(),
                "--labels-from-folders",
                "--wav-hop",
                "160",
                "--input-type",
                "int8",
                "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        // Four 1000 ms files give (16000 - 480) / 160 + 1 = 98 windows each; the two 30 ms files one each.
        assertTrue(r.out().contains("calibration 394 samples"), r.out());
        assertTrue(r.out().contains("top-1     float"), "labels come from the class folders: " + r.out());

        // The hop covers every frame of every file, so the int8 input's range is the files' own.
        float min = 0;
        float max = 0;
        for (String f : FILES) {
            for (float v : SpeechWav.samples(SpeechWav.file(f))) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        Subgraph q = ModelReader.read(out).mainGraph();
        assertEquals(DataType.INT8, q.inputTensor(0).type());
        QuantParams expected = QuantMath.activationParams(min, max);
        assertEquals(expected, q.inputTensor(0).quant());

        CliRunner.Result e = CliRunner.run(
                new Main(),
                "eval",
                model.toString(),
                out.toString(),
                "--dataset",
                tree.toString(),
                "--labels-from-folders",
                "--wav-hop",
                "480",
                "--samples",
                "50");
        assertEquals(0, e.exitCode(), e.toString());
        assertTrue(e.out().contains("agreement"), e.out());
    }

    @Test
    void oneResampledSamplePerFile() throws Exception {
        Path model = tmp.resolve("kws.tflite");
        ModelWriter.write(audioClassifier(), model);
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "quantize",
                model.toString(),
                "--dataset",
                SharedAssets.data("speech_wav").toString(),
                "--dataset-format",
                "wav",
                "--wav-sample-rate",
                "8000",
                "--no-eval",
                "--out",
                tmp.resolve("o.tflite").toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("calibration 6 samples"), r.out());
    }

    @Test
    void badWavsAndFlagsAreOneLineUserErrors() throws Exception {
        Path model = tmp.resolve("kws.tflite");
        ModelWriter.write(audioClassifier(), model);
        Path folder = Files.createDirectories(tmp.resolve("bad"));
        Files.copy(SharedAssets.data("speech_wav/yes_30ms.wav"), folder.resolve("a.wav"));
        byte[] eight = Files.readAllBytes(folder.resolve("a.wav"));
        eight[34] = 8; // bits per sample
        Files.write(folder.resolve("b.wav"), eight);
        String o = tmp.resolve("o.tflite").toString();

        CliRunner.Result bad =
                CliRunner.run(new Main(), "quantize", model.toString(), "--dataset", folder.toString(), "--out", o);
        assertEquals(2, bad.exitCode(), bad.toString());
        assertEquals(1, bad.errLines().size(), bad.toString());
        assertTrue(bad.err().contains("b.wav") && bad.err().contains("8-bit PCM"), bad.err());

        CliRunner.Result format = CliRunner.run(
                new Main(),
                "quantize",
                model.toString(),
                "--dataset",
                folder.toString(),
                "--dataset-format",
                "flac",
                "--out",
                o);
        assertEquals(2, format.exitCode(), format.toString());
        assertEquals(1, format.errLines().size(), format.toString());
        assertTrue(format.err().contains("auto, images, npy, wav"), format.err());

        CliRunner.Result hop = CliRunner.run(
                new Main(),
                "quantize",
                model.toString(),
                "--dataset",
                folder.toString(),
                "--wav-hop",
                "-1",
                "--out",
                o);
        assertEquals(2, hop.exitCode(), hop.toString());
        assertEquals(1, hop.errLines().size(), hop.toString());
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("o.tflite")));
        }
    }
}
