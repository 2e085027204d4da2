package io.quanta.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.calibrate.CalibrationStats;
import io.quanta.eval.EvaluationTotals;
import io.quanta.interp.SampleBlocks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Partial files: lossless round trip, and one typed line for every way a set of partials can be wrong. */
class ShardFilesTest {
    private static final String SHA = "a".repeat(64);
    private static final String OTHER_SHA = "b".repeat(64);

    private static ShardSteps.CalibrationShard stats(String sha, int samples, int index, int count) {
        int[] r = SampleBlocks.shard(samples, index, count);
        return new ShardSteps.CalibrationShard(sha, samples, index, count, r[0], r[1], new CalibrationStats(0), null);
    }

    private static ShardSteps.EvaluationShard tally(int samples, int index, int count) {
        int[] r = SampleBlocks.shard(samples, index, count);
        EvaluationTotals t = new EvaluationTotals(1, new double[] {0.1});
        return new ShardSteps.EvaluationShard(SHA, OTHER_SHA, samples, index, count, r[0], r[1], t, null);
    }

    private static PipelineException mergeFails(List<ShardSteps.CalibrationShard> shards) {
        List<String> names = new ArrayList<>();
        for (ShardSteps.CalibrationShard s : shards) {
            names.add("stats-" + s.index() + "-of-" + s.count() + ".json");
        }
        return assertThrows(PipelineException.class, () -> ShardSteps.mergeCalibration(shards, names));
    }

    @Test
    void shardsAreBlockAlignedAndCoverEverySampleOnce() {
        for (int samples : new int[] {0, 1, 4, 5, 37, 41, 1000}) {
            for (int n : new int[] {1, 2, 3, 7, 64}) {
                int next = 0;
                for (int i = 0; i < n; i++) {
                    int[] r = SampleBlocks.shard(samples, i, n);
                    assertEquals(next, r[0], samples + " samples, shard " + i + "/" + n);
                    assertTrue(r[0] % SampleBlocks.BLOCK == 0 || r[0] == samples);
                    next = r[1];
                }
                assertEquals(samples, next);
            }
        }
        assertArrayEquals(new int[] {0, 12}, SampleBlocks.shard(37, 0, 3));
        assertArrayEquals(new int[] {12, 24}, SampleBlocks.shard(37, 1, 3));
        assertArrayEquals(new int[] {24, 37}, SampleBlocks.shard(37, 2, 3));
    }

    @Test
    void aCompleteSetMergesInShardOrderWhateverTheFileOrder() {
        List<ShardSteps.CalibrationShard> set =
                List.of(stats(SHA, 37, 2, 3), stats(SHA, 37, 0, 3), stats(SHA, 37, 1, 3));
        Pipeline.GivenStats given = ShardSteps.mergeCalibration(set, List.of("c", "a", "b"));
        assertEquals(SHA, given.modelSha256());
        assertEquals(37, given.samples());
    }

    @Test
    void everyWrongSetIsOneTypedLine() {
        PipelineException e = mergeFails(List.of(stats(SHA, 37, 0, 2), stats(OTHER_SHA, 37, 1, 2)));
        assertEquals("PartialMismatch", e.errorCode());
        assertTrue(e.getMessage().contains("different models"), e.getMessage());

        e = mergeFails(List.of(stats(SHA, 37, 0, 2), stats(SHA, 37, 1, 3)));
        assertEquals("PartialMismatch", e.errorCode());
        assertTrue(e.getMessage().contains("of 2 shards"), e.getMessage());

        e = mergeFails(List.of(stats(SHA, 37, 0, 2), stats(SHA, 41, 1, 2)));
        assertEquals("PartialMismatch", e.errorCode());

        e = mergeFails(List.of(stats(SHA, 37, 0, 3), stats(SHA, 37, 0, 3), stats(SHA, 37, 2, 3)));
        assertEquals("ShardDuplicate", e.errorCode());
        assertEquals("shard 0 of 3 given twice: stats-0-of-3.json and stats-0-of-3.json", e.getMessage());

        e = mergeFails(List.of(stats(SHA, 37, 0, 3), stats(SHA, 37, 2, 3)));
        assertEquals("ShardMissing", e.errorCode());
        assertEquals("calibration statistics of shard 1 of 3 missing", e.getMessage());

        ShardSteps.CalibrationShard shifted =
                new ShardSteps.CalibrationShard(SHA, 37, 1, 2, 17, 37, new CalibrationStats(0), null);
        e = mergeFails(List.of(stats(SHA, 37, 0, 2), shifted));
        assertEquals("PartialInvalid", e.errorCode());
        assertTrue(e.getMessage().contains("covers samples 17..37"), e.getMessage());

        for (PipelineException p : List.of(e)) {
            assertFalse(p.getMessage().contains("\n"));
            assertFalse(p.getMessage().matches(".*[A-Z][a-z]+(Exception|Error).*"), p.getMessage());
        }
    }

    @Test
    void partialFilesRoundTripAndBadFilesAreRefusedByName() {
        ShardSteps.CalibrationShard s = stats(SHA, 37, 1, 3);
        String json = ShardFiles.toJson(s);
        assertEquals(json, ShardFiles.toJson(ShardFiles.calibration(json, "x.json")));

        ShardSteps.EvaluationShard t = tally(37, 0, 1);
        String tj = ShardFiles.toJson(t);
        assertEquals(tj, ShardFiles.toJson(ShardFiles.evaluation(tj, "t.json")));

        List<String[]> bad = List.of(
                new String[] {"{not json", "PartialInvalid", "x.json: not JSON (at line 1"},
                new String[] {"{}", "PartialInvalid", "x.json: not a Quanta shard file"},
                new String[] {
                    json.replace("\"formatVersion\" : 1", "\"formatVersion\" : 9"),
                    "PartialInvalid",
                    "x.json: shard file format version 9"
                },
                new String[] {tj, "PartialMismatch", "x.json holds evaluation tallies, not calibration statistics"},
                new String[] {json.replace("\"shard\" : 1", "\"shard\" : -1"), "PartialInvalid", "\"shard\""},
                new String[] {json.replace("\"fit\"", "\"fat\""), "PartialInvalid", "no \"fit\" object"});
        for (String[] b : bad) {
            PipelineException e =
                    assertThrows(PipelineException.class, () -> ShardFiles.calibration(b[0], "x.json"), b[2]);
            assertEquals(b[1], e.errorCode(), e.getMessage());
            assertTrue(e.getMessage().contains(b[2]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        PipelineException e = assertThrows(
                PipelineException.class,
                () -> ShardFiles.evaluation(tj.replace("\"sumAbs\" : \"0\"", "\"sumAbs\" : \"zero\""), "t.json"));
        assertEquals("PartialInvalid", e.errorCode());
        assertTrue(e.getMessage().startsWith("t.json: "), e.getMessage());
    }

    @Test
    void aFileLargerThanAPartialFileMayBeIsRefusedBeforeItIsRead(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        // A sparse file: nothing on disk, but reading it would need its whole size on the heap.
        java.nio.file.Path huge = dir.resolve("s0.json");
        try (var ch = java.nio.file.Files.newByteChannel(
                huge, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.position(ShardFiles.MAX_BYTES).write(java.nio.ByteBuffer.wrap(new byte[] {'}'}));
        }
        PipelineException e = assertThrows(PipelineException.class, () -> ShardFiles.calibration(huge, "s0.json"));
        assertEquals("PartialInvalid", e.errorCode());
        assertEquals(
                "s0.json: " + (ShardFiles.MAX_BYTES + 1) + " bytes is more than a partial file may be ("
                        + ShardFiles.MAX_BYTES + " bytes)",
                e.getMessage());
    }
}
