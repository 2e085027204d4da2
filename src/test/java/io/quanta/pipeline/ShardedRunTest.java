package io.quanta.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.data.Datasets;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.Preprocessing;
import io.quanta.data.Sampling;
import io.quanta.eval.EvaluationResult;
import io.quanta.eval.EvaluationTotals;
import io.quanta.graph.Subgraph;
import io.quanta.storage.Sha256;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SharedModelData;
import io.quanta.testing.Slow;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's engine acceptance: calibration and evaluation split into 1, 2, 3 and 7 shards, each written to its
 * partial file and read back, merge into exactly what one pass gives: the statistics bit for bit, the same model
 * bytes (sha256), the same evaluation (top-1, agreement, SQNR, per-layer errors), on ResNet-8 with CIFAR-10 and on
 * the MNIST LSTM.
 */
@Slow
class ShardedRunTest {
    static final Path RESNET8 = SharedAssets.floatModel("tiny_ic_resnet8_float.tflite");
    static final Path CIFAR = SharedAssets.data("cifar10/cifar10_train932_u8.npy");
    static final Path CIFAR_LABELS = SharedAssets.data("cifar10/cifar10_train932_labels.txt");
    static final Path LSTM = SharedAssets.floatModel("tflm_mnist_lstm_float.tflite");

    @TempDir
    Path tmp;

    @Test
    void resnet8OnCifar10MergesExactly() throws Exception {
        PipelineRequest req = PipelineRequest.of(RESNET8, List.of(CIFAR), tmp.resolve("one.tflite"))
                .withLabels(CIFAR_LABELS)
                .withSamples(37, null)
                .withEvaluation(true, List.of(), null, 57)
                .withAccuracy(AccuracySettings.defaults().withCalibration(CalibrationMethod.PERCENTILE, 99.9))
                .withThreads(2);
        assertShardsMergeExactly(req, Preprocessing.DEFAULT);
    }

    @Test
    void lstmOnMnistMergesExactly() throws Exception {
        Subgraph g = ModelReader.read(LSTM).mainGraph();
        Preprocessing pre = Preprocessing.normalized(SharedModelData.mnistNormalization(g.inputTensor(0)));
        PipelineRequest req = PipelineRequest.of(
                        LSTM, List.of(SharedModelData.mnistImages()), tmp.resolve("one.tflite"))
                .withLabels(SharedModelData.mnistLabels())
                .withPreprocessing(pre)
                .withSamples(30, null)
                .withEvaluation(true, List.of(), null, 45)
                .withThreads(2);
        assertShardsMergeExactly(req, pre);
    }

    private void assertShardsMergeExactly(PipelineRequest base, Preprocessing pre) throws Exception {
        Pipeline.Outcome one = Pipeline.run(base, PipelineListener.NONE);
        EvaluationResult expected = one.report().evaluation();
        assertNotNull(expected.classification());
        String expectedSha = Sha256.of(java.nio.file.Files.readAllBytes(one.model()));

        // The statistics of one pass over the same samples, as the pipeline calibrates them.
        Subgraph graph = ModelReader.read(base.model()).mainGraph();
        CalibrationStats onePass = Calibrator.forFloatModel(
                        graph, base.accuracy().calibration())
                .run(ModelInputAdapter.adapt(
                        Sampling.take(
                                Datasets.open(base.datasets(), InputSpec.of(graph), pre.reading(), null),
                                base.samples(),
                                null),
                        InputSpec.of(graph),
                        pre));

        for (int n : new int[] {1, 2, 3, 7}) {
            PipelineRequest req = base.withOutput(tmp.resolve("sharded" + n + ".tflite"))
                    .withReport(tmp.resolve("sharded" + n + ".report.json"));
            List<ShardSteps.CalibrationShard> stats = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = n - 1; i >= 0; i--) { // any finish order
                String json = ShardFiles.toJson(ShardSteps.calibrate(req, i, n, PipelineListener.NONE));
                stats.add(ShardFiles.calibration(json, "stats-" + i));
                names.add("stats-" + i);
            }
            Pipeline.GivenStats given = ShardSteps.mergeCalibration(stats, names);
            assertNull(given.held());
            assertEquals(onePass.toJson(), given.fit().toJson(), n + " shards: statistics");
            assertEquals(onePass, given.fit());

            Pipeline.Ran ran = Pipeline.run(req, PipelineListener.NONE, given, true);
            assertNull(ran.outcome().report().evaluation());
            assertEquals(
                    expectedSha,
                    Sha256.of(java.nio.file.Files.readAllBytes(ran.outcome().model())),
                    n + " shards: model sha256");

            List<ShardSteps.EvaluationShard> tallies = new ArrayList<>();
            List<String> tallyNames = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String json = ShardFiles.toJson(
                        ShardSteps.evaluate(req, ran.outcome().model(), ran.pairs(), i, n, PipelineListener.NONE));
                tallies.add(ShardFiles.evaluation(json, "tally-" + i));
                tallyNames.add("tally-" + i);
            }
            EvaluationTotals merged = ShardSteps.mergeEvaluation(tallies, tallyNames);
            Pipeline.Outcome out = ShardSteps.withEvaluation(
                    req, ran.outcome().report(), ran.outcome().model(), ran.pairs(), merged, null, 0);
            EvaluationResult got = out.report().evaluation();
            assertEquals(expected, got, n + " shards: evaluation");
            assertEquals(
                    expected.classification().quantizedTop1(),
                    got.classification().quantizedTop1());
            assertEquals(
                    expected.classification().agreement(), got.classification().agreement());
            assertEquals(expected.outputs(), got.outputs());
            assertEquals(expected.layers(), got.layers());
            assertEquals(one.summary().accuracy(), out.summary().accuracy(), n + " shards: summary accuracy");
        }
    }
}
