package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.storage.Sha256;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's CLI for users without a cluster, on ResNet-8 with CIFAR-10: calibrate in 3 shards then quantize
 * --stats writes the very model an unsharded quantize writes, and eval in 3 shards then merge gives the very
 * comparison an unsharded eval gives; a bad shard set is refused with one typed line.
 */
@Slow
class ShardedCommandsTest {
    static final String MODEL =
            SharedAssets.floatModel("tiny_ic_resnet8_float.tflite").toString();
    static final String CIFAR =
            SharedAssets.data("cifar10/cifar10_train932_u8.npy").toString();
    static final String LABELS =
            SharedAssets.data("cifar10/cifar10_train932_labels.txt").toString();

    /** The data and calibration flags calibrate and quantize must share. */
    static final List<String> CALIBRATION =
            List.of("--dataset", CIFAR, "--samples", "37", "--calibration", "percentile", "--percentile", "99.9");

    @TempDir
    static Path tmp;

    static Path unsharded;
    static List<String> stats = new ArrayList<>();

    @BeforeAll
    static void quantizeAndCalibrate() {
        unsharded = tmp.resolve("unsharded.tflite");
        ok(args("quantize", MODEL, "--out", unsharded.toString(), "--no-eval", "--threads", "2"));
        for (int i : new int[] {2, 0, 1}) { // any order, anywhere
            String s = tmp.resolve("s" + i + ".json").toString();
            CliRunner.Result r = ok(args("calibrate", MODEL, "--shard", i + "/3", "--stats-out", s, "--threads", "1"));
            assertTrue(r.out().startsWith("calibration shard " + i + "/3: samples "), r.toString());
            stats.add(s);
        }
    }

    @Test
    void quantizeWithMergedStatsWritesTheUnshardedModel() throws Exception {
        Path sharded = tmp.resolve("sharded.tflite");
        List<String> a = args("quantize", MODEL, "--out", sharded.toString(), "--no-eval", "--threads", "2");
        a.add("--stats");
        a.addAll(stats);
        ok(a);
        assertEquals(sha(unsharded), sha(sharded));
    }

    @Test
    void evalShardsMergeIntoTheUnshardedComparison() throws Exception {
        List<String> data = List.of("--dataset", CIFAR, "--labels", LABELS, "--samples", "57", "--threads", "2");
        Path one = tmp.resolve("one.eval.json");
        CliRunner.Result whole =
                ok(concat(List.of("eval", MODEL, unsharded.toString(), "--report", one.toString()), data));
        List<String> tallies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String t = tmp.resolve("t" + i + ".json").toString();
            ok(concat(List.of("eval", MODEL, unsharded.toString(), "--shard", i + "/3", "--tally-out", t), data));
            tallies.add(t);
        }
        Path merged = tmp.resolve("merged.eval.json");
        CliRunner.Result m = ok(concat(
                List.of("merge", MODEL, unsharded.toString(), "--report", merged.toString()),
                List.of(tallies.get(1), tallies.get(2), tallies.get(0))));

        // Top-1, agreement, output errors and SQNR, per-layer errors: the JSON of both, byte for byte.
        String expected = Files.readString(one);
        assertTrue(expected.contains("\"classification\""), expected);
        assertTrue(expected.contains("\"layers\""), expected);
        assertEquals(expected, Files.readString(merged));
        assertEquals(figures(whole.out()), figures(m.out()));
    }

    @Test
    void anIncompleteOrMixedStatsSetIsOneTypedLine() {
        String out = tmp.resolve("refused.tflite").toString();
        assertRefused("ShardDuplicate: shard 0 of 3 given twice", quantizeWith(out, stats.get(1), stats.get(1)));
        assertRefused(
                "ShardMissing: calibration statistics of shard 1 of 3 missing",
                quantizeWith(out, stats.get(1), stats.get(0)));
        String two = tmp.resolve("two-0.json").toString();
        ok(args("calibrate", MODEL, "--shard", "0/2", "--stats-out", two, "--threads", "1"));
        assertRefused("PartialMismatch: ", quantizeWith(out, stats.get(0), two));
        assertRefused("PartialInvalid: ", quantizeWith(out, MODEL));
        assertRefused(
                "ShardMissing: ", quantizeWith(out, tmp.resolve("absent.json").toString()));
        // Statistics are not tallies.
        assertRefused(
                "PartialMismatch: ", CliRunner.run(new Main(), "merge", MODEL, unsharded.toString(), stats.get(0)));
        assertTrue(Files.notExists(Path.of(out)));
    }

    @Test
    void statsOfOtherSettingsAreRefused() {
        String out = tmp.resolve("other.tflite").toString();
        List<String> a = new ArrayList<>(List.of(
                "quantize", MODEL, "--dataset", CIFAR, "--samples", "40", "--out", out, "--no-eval", "--stats"));
        a.addAll(stats);
        assertRefused(
                "PartialMismatch: the calibration statistics cover 37 samples",
                CliRunner.run(new Main(), a.toArray(String[]::new)));
    }

    private static CliRunner.Result quantizeWith(String out, String... files) {
        List<String> a = args("quantize", MODEL, "--out", out, "--no-eval", "--stats");
        a.addAll(List.of(files));
        return CliRunner.run(new Main(), a.toArray(String[]::new));
    }

    static void assertRefused(String start, CliRunner.Result r) {
        assertEquals(ErrorReporter.USER_ERROR, r.exitCode(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("quanta: " + start), r.toString());
    }

    /** The figures eval prints: every line but the one naming where the report went. */
    private static List<String> figures(String out) {
        return out.lines().filter(l -> !l.strip().startsWith("report ")).toList();
    }

    private static List<String> args(String command, String model, String... more) {
        List<String> a = new ArrayList<>(List.of(command, model));
        a.addAll(CALIBRATION);
        a.addAll(List.of(more));
        return a;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    private static CliRunner.Result ok(List<String> args) {
        CliRunner.Result r = CliRunner.run(new Main(), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.toString());
        return r;
    }

    private static String sha(Path p) throws Exception {
        return Sha256.of(Files.readAllBytes(p));
    }
}
