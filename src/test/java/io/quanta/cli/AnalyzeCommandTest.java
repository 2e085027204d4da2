package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** quanta analyze: the recipes of quantize, and the options the two share defined once. */
class AnalyzeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void analyzeRanksTheOpsOfTheModelTheRecipesMake() throws Exception {
        Path report = tmp.resolve("analysis.json");
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "analyze",
                SharedAssets.floatModel("tiny_ic_resnet8_float.tflite").toString(),
                "--dataset",
                SharedAssets.data("cifar10/cifar10_train932_u8.npy").toString(),
                "--samples",
                "20",
                "--eval-samples",
                "30",
                "--equalize",
                "--bias-correction",
                "--report",
                report.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("int8 op(s) ranked, most sensitive first"), r.out());
        // The same figures quantize prints for these recipes on this model and these 20 samples (RecipeFlagsTest).
        assertTrue(r.out().contains("equalize    3 layer pair(s)"), r.out());
        assertTrue(r.out().contains("bias corr.  10 layer(s) on 20 samples"), r.out());
        String json = Files.readString(report);
        assertTrue(json.contains("\"sensitivity\"") && json.contains("\"biasCorrection\""), json);
    }

    @Test
    void analyzeWithoutDataIsAOneLineError() {
        CliRunner.Result r = CliRunner.run(
                new Main(),
                "analyze",
                SharedAssets.floatModel("tiny_ic_resnet8_float.tflite").toString());
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(List.of("quanta: analyze needs calibration data: give --dataset"), r.errLines());
    }

    @Test
    void everyOptionAnalyzeSharesWithQuantizeMeansTheSame() {
        CommandLine main = Main.commandLine(new Main());
        CommandLine.Model.CommandSpec quantize =
                main.getSubcommands().get("quantize").getCommandSpec();
        CommandLine.Model.CommandSpec analyze =
                main.getSubcommands().get("analyze").getCommandSpec();
        List<String> shared = new ArrayList<>();
        for (OptionSpec a : analyze.options()) {
            OptionSpec q = quantize.findOption(a.longestName());
            if (q == null || a.longestName().equals("--report")) {
                continue; // analyze writes its report only where asked (and keeps no model beside which to put it)
            }
            shared.add(a.longestName());
            assertEquals(String.join(" ", q.description()), String.join(" ", a.description()), a.longestName());
            assertEquals(q.paramLabel(), a.paramLabel(), a.longestName());
            assertEquals(q.defaultValue(), a.defaultValue(), a.longestName());
        }
        for (String name : List.of(
                "--dataset",
                "--labels",
                "--eval-dataset",
                "--eval-labels",
                "--eval-samples",
                "--calibration",
                "--percentile",
                "--samples",
                "--sample-seed",
                "--equalize",
                "--bias-correction",
                "--threads",
                "--cache-dir")) {
            assertTrue(shared.contains(name), name + " in " + shared);
        }
    }
}
