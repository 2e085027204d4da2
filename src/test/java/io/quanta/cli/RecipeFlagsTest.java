package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.pipeline.QuantizationReport;
import io.quanta.pipeline.Reports;
import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quantize --equalize and --bias-correction: a run with both, and the inputs they refuse in one line. */
class RecipeFlagsTest {
    @TempDir
    Path tmp;

    private static void oneLineError(CliRunner.Result r, String expected) {
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
    }

    @Test
    void equalizeOnAModelWhoseLayersAreJoinedByRelu6IsRefused() {
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "quantize",
                SharedAssets.floatModel("tfls_mobilenet_v1_0.25_224_float.tflite")
                        .toString(),
                "--dataset",
                SharedAssets.data("images").toString(),
                "--normalize",
                "signed",
                "--equalize",
                "--out",
                tmp.resolve("m.tflite").toString());
        oneLineError(r, "equalize: no equalizable pair");
        assertTrue(r.err().contains("RELU6 is not positive-homogeneous"), r.toString());
        assertTrue(Files.notExists(tmp.resolve("m.tflite")));
    }

    @Test
    void biasCorrectionNeedsAnIntegerMode() {
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "quantize",
                SharedAssets.floatModel("tiny_ic_resnet8_float.tflite").toString(),
                "--mode",
                "dynamic-range",
                "--bias-correction",
                "--out",
                tmp.resolve("d.tflite").toString());
        oneLineError(r, "bias correction corrects int8 biases: it needs mode int8 or int8-only, not dynamic-range");
    }

    @Test
    void bothRecipesRunAndTheReportShowsTheFiguresWithoutAndWith() throws Exception {
        Path out = tmp.resolve("r8.tflite");
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "quantize",
                SharedAssets.floatModel("tiny_ic_resnet8_float.tflite").toString(),
                "--dataset",
                SharedAssets.data("cifar10/cifar10_train932_u8.npy").toString(),
                "--labels",
                SharedAssets.data("cifar10/cifar10_train932_labels.txt").toString(),
                "--samples",
                "20",
                "--eval-samples",
                "60",
                "--equalize",
                "--bias-correction",
                "--out",
                out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("equalize    3 layer pair(s)"), r.out());
        assertTrue(r.out().contains("bias corr.  10 layer(s) on 20 samples"), r.out());
        assertTrue(r.out().contains("recipes     none "), r.out());
        assertTrue(r.out().contains("recipes     equalize "), r.out());
        assertTrue(r.out().contains("recipes     equalize+bias-correction "), r.out());
        QuantizationReport report = Reports.fromJson(Files.readString(tmp.resolve("r8.report.json")));
        QuantizationReport.Recipes recipes = report.recipes();
        assertEquals(3, recipes.equalize().pairs().size());
        assertEquals(10, recipes.biasCorrection().perLayer().size());
        assertTrue(recipes.biasCorrection().meanAbsErrorAfter()
                < recipes.biasCorrection().meanAbsErrorBefore());
        assertEquals(3, recipes.figures().size());
        for (QuantizationReport.RecipeFigures f : recipes.figures()) {
            assertEquals(60, f.samples());
            assertTrue(f.sqnrDb() > 10 && f.top1() > 0.5, f.toString());
        }
        // The written model is the last variant measured: the evaluation saw the same figures.
        QuantizationReport.RecipeFigures written = recipes.figures().get(2);
        assertEquals(report.evaluation().classification().quantizedTop1(), written.top1(), 1e-12);
    }
}
