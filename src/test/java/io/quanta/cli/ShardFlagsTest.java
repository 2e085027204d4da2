package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --shard I/N}: zero-based I, 1 <= N <= 64; anything else is one line and the usage-error exit code. */
class ShardFlagsTest {
    @Test
    void parsesZeroBasedShards() {
        assertEquals(new ShardOption.Shard(0, 1), ShardOption.parse("0/1"));
        assertEquals(new ShardOption.Shard(2, 3), ShardOption.parse(" 2 / 3 "));
        assertEquals(new ShardOption.Shard(63, 64), ShardOption.parse("63/64"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "3/2     | --shard 3/2: I is zero-based, 0..1 for 2 shards, got 3",
                "2/2     | --shard 2/2: I is zero-based, 0..1 for 2 shards, got 2",
                "0/0     | --shard 0/0: N must be 1..64, got 0",
                "0/65    | --shard 0/65: N must be 1..64, got 65",
                "1       | --shard: expected I/N (shard I of N, I zero-based), found '1'",
                "-1/3    | --shard: expected I/N (shard I of N, I zero-based), found '-1/3'",
                "a/b     | --shard: expected I/N (shard I of N, I zero-based), found 'a/b'",
                "99999999999/3 | --shard: expected I/N (shard I of N, I zero-based), found '99999999999/3'"
            })
    void refusesBadShards(String shard, String message) {
        // Refused before anything is read: the model and data need not exist.
        for (String[] args : new String[][] {
            {"calibrate", "absent.tflite", "--dataset", "absent.npy", "--shard", shard, "--stats-out", "s.json"},
            {"eval", "f.tflite", "q.tflite", "--dataset", "absent.npy", "--shard", shard, "--tally-out", "t.json"}
        }) {
            CliRunner.Result r = CliRunner.run(new Main(), args);
            assertEquals(ErrorReporter.USER_ERROR, r.exitCode(), r.toString());
            assertEquals(java.util.List.of("quanta: " + message), r.errLines(), r.toString());
        }
    }

    @Test
    void shardWithoutAnOutputIsRefused() {
        CliRunner.Result r =
                CliRunner.run(new Main(), "eval", "f.tflite", "q.tflite", "--dataset", "absent.npy", "--shard", "0/2");
        assertEquals(ErrorReporter.USER_ERROR, r.exitCode(), r.toString());
        assertEquals(
                java.util.List.of("quanta: --shard needs --tally-out: a shard's tallies are merged by 'quanta merge'"),
                r.errLines());
        CliRunner.Result b = CliRunner.run(
                new Main(),
                "calibrate",
                "absent.tflite",
                "--dataset",
                "d.npy",
                "--bias-correction",
                "--stats-out",
                "s");
        assertEquals(ErrorReporter.USER_ERROR, b.exitCode(), b.toString());
        assertEquals(
                java.util.List.of("quanta: --bias-correction is applied when quantizing: give it to 'quanta quantize "
                        + "--stats'"),
                b.errLines());
        CliRunner.Result c = CliRunner.run(new Main(), "calibrate", "absent.tflite", "--dataset", "d.npy");
        assertEquals(ErrorReporter.USER_ERROR, c.exitCode(), c.toString());
        assertEquals(1, c.errLines().size(), c.toString());
    }
}
