package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.testing.SpeechFrontEnd;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accuracy flags of quantize on the speech front end: a budget met, one not met, and bad values. */
class AccuracyFlagsTest {
    @TempDir
    static Path tmp;

    static String model;
    static String windows;

    @BeforeAll
    static void build() {
        Path w = SpeechFrontEnd.writeWindows(tmp.resolve("windows.npy"));
        windows = w.toString();
        model = SpeechFrontEnd.writeModel(tmp.resolve("speech.tflite"), w).toString();
    }

    private static CliRunner.Result quantize(String... flags) {
        String[] args = new String[flags.length + 6];
        args[0] = "quantize";
        args[1] = model;
        args[2] = "--dataset";
        args[3] = windows;
        args[4] = "--out";
        args[5] = tmp.resolve("out.tflite").toString();
        System.arraycopy(flags, 0, args, 6, flags.length);
        return CliRunner.run(new Main(), args);
    }

    private static void oneLineError(CliRunner.Result r, String expected) {
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
    }

    @Test
    void aBudgetIsMetByKeepingTheFrontEndFloat() {
        CliRunner.Result r = quantize("--min-agreement", "0.95", "--sensitivity");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("budget      agreement >= 0.95: met (greedy search"), r.out());
        assertTrue(
                r.out().contains("kept float  [energies, power]") || r.out().contains("kept float  [power, energies]"),
                r.out());
        assertTrue(r.out().contains("most sensitive ops"), r.out());
    }

    @Test
    void keepFloatTakesOpTypesAndTensorNames() {
        CliRunner.Result r = quantize("--keep-float", "MUL,energies");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("kept float  [power, energies]; 3 op(s) not in int8"), r.out());
    }

    @Test
    void anUnmetBudgetExitsTwoNamingTheBestTrial() {
        oneLineError(quantize("--min-sqnr", "200", "--max-trials", "2"), "best: trial");
    }

    @Test
    void badValuesAreOneLineErrors() {
        oneLineError(quantize("--min-agreement", "1.5"), "--min-agreement must be in (0, 1]");
        oneLineError(quantize("--min-agreement", "0"), "--min-agreement must be in (0, 1]");
        oneLineError(
                quantize("--calibration", "kl"), "--calibration must be one of minmax, percentile, mse, entropy, auto");
        oneLineError(quantize("--max-accuracy-drop", "0.01"), "max-accuracy-drop needs labels");
        oneLineError(quantize("--keep-float", "enrgies"), "nearest: 'energies'");
        oneLineError(
                quantize("--mode", "int16x8", "--input-type", "uint8"),
                "input type uint8 does not go with mode int16x8: 16x8 models keep float32 inputs and outputs");
        oneLineError(
                quantize("--percentile", "120", "--calibration", "percentile"), "--percentile must be in (0, 100]");
    }

    @Test
    void analyzeRanksTheFrontEndAsMostSensitive() throws Exception {
        Path report = tmp.resolve("analysis.json");
        CliRunner.Result r =
                CliRunner.run(new Main(), "analyze", model, "--dataset", windows, "--report", report.toString());
        assertEquals(0, r.exitCode(), r.toString());
        String[] lines = r.out().split("\n");
        // The quantized FC filterbank output drives LOG to -inf (NaN at the output), the squared frames come next.
        assertTrue(lines[1].contains("'energies'"), r.out());
        assertTrue(lines[2].contains("'power'"), r.out());
        assertTrue(java.nio.file.Files.readString(report).contains("\"sensitivity\""));
    }
}
