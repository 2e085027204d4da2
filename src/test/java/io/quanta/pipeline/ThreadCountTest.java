package io.quanta.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.data.Dataset;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.Preprocessing;
import io.quanta.data.Sampling;
import io.quanta.graph.Subgraph;
import io.quanta.storage.Sha256;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calibration and evaluation on 1, 2 and 3 worker threads give the same statistics, the same model bytes and the
 * same evaluation, bit for bit (a real model and real labelled data: ResNet-8 on CIFAR-10).
 */
class ThreadCountTest {
    static final Path MODEL = SharedAssets.floatModel("tiny_ic_resnet8_float.tflite");
    static final Path IMAGES = SharedAssets.data("cifar10/cifar10_train932_u8.npy");
    static final Path LABELS = SharedAssets.data("cifar10/cifar10_train932_labels.txt");

    @TempDir
    Path tmp;

    @Test
    void calibrationStatisticsAreIdenticalForAnyThreadCount() {
        Subgraph graph = ModelReader.read(MODEL).mainGraph();
        Dataset samples = ModelInputAdapter.adapt(
                Sampling.take(Datasets.npyFiles(List.of(IMAGES)), 30, null),
                InputSpec.of(graph),
                Preprocessing.DEFAULT);
        for (CalibrationMethod method : List.of(CalibrationMethod.MINMAX, CalibrationMethod.ENTROPY)) {
            CalibrationStats one =
                    Calibrator.forFloatModel(graph, method).withThreads(1).run(samples);
            assertEquals(30, one.samples());
            for (int threads : new int[] {2, 3}) {
                CalibrationStats many = Calibrator.forFloatModel(graph, method)
                        .withThreads(threads)
                        .run(samples);
                assertEquals(one, many, method + " on " + threads + " threads");
                assertEquals(one.toJson(), many.toJson());
            }
        }
    }

    @Test
    void trialFiguresOfTheSearchAreIdenticalForAnyThreadCount() {
        io.quanta.graph.Model model = ModelReader.read(MODEL);
        Dataset raw = Sampling.take(Datasets.withLabels(Datasets.npyFiles(List.of(IMAGES)), LABELS, null), 29, null);
        Candidates one = new Candidates(model, raw, Preprocessing.DEFAULT, 1);
        io.quanta.quantize.QuantizationResult q = one.quantize(
                rangesOf(Calibrator.forFloatModel(model.mainGraph())
                        .run(ModelInputAdapter.adapt(raw, InputSpec.of(model.mainGraph()), Preprocessing.DEFAULT))),
                io.quanta.quantize.QuantizationOptions.defaults());
        io.quanta.eval.TrialFigures expected = one.measure(q);
        assertEquals(29, expected.labelled());
        for (int threads : new int[] {2, 3}) {
            assertEquals(expected, new Candidates(model, raw, Preprocessing.DEFAULT, threads).measure(q));
        }
    }

    private static io.quanta.quantize.TensorRanges rangesOf(CalibrationStats stats) {
        return Pipeline.rangesOf(stats);
    }

    private Pipeline.Outcome run(int threads) {
        PipelineRequest req = PipelineRequest.of(MODEL, List.of(IMAGES), tmp.resolve("resnet8_t" + threads + ".tflite"))
                .withLabels(LABELS)
                .withSamples(37, null)
                .withEvaluation(true, List.of(), null, 41)
                .withAccuracy(AccuracySettings.defaults().withCalibration(CalibrationMethod.PERCENTILE, 99.9))
                .withThreads(threads);
        return Pipeline.run(req, PipelineListener.NONE);
    }

    @Test
    void quantizedModelAndEvaluationAreIdenticalForAnyThreadCount() throws Exception {
        Pipeline.Outcome one = run(1);
        byte[] model = Files.readAllBytes(one.model());
        assertNotNull(one.report().evaluation());
        assertEquals(41, one.report().evaluation().classification().labelled());
        for (int threads : new int[] {2, 3}) {
            Pipeline.Outcome many = run(threads);
            assertEquals(Sha256.of(model), Sha256.of(Files.readAllBytes(many.model())), threads + " threads");
            assertArrayEquals(model, Files.readAllBytes(many.model()));
            assertEquals(one.report().evaluation(), many.report().evaluation(), threads + " threads");
        }
    }
}
