package io.quanta.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.pipeline.PipelineException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod contract's pure parts: the default work location, the shard index fallback, the phase names. */
class WorkLocationsTest {
    @Test
    void defaultWorkLocationIsBesideTheOutput() {
        assertEquals("s3://b/out/m.tflite.work/uid-1/", WorkLocations.defaultFor("s3://b/out/m.tflite", "uid-1"));
        assertEquals("/out/m.tflite.work/u/", WorkLocations.defaultFor(" /out/m.tflite ", "u"));
        assertEquals("/w/stats-2-of-7.json", WorkLocations.file("/w", WorkLocations.statsName(2, 7)));
        assertEquals("/w/tally-0-of-1.json", WorkLocations.file("/w/", WorkLocations.tallyName(0, 1)));
        assertThrows(IllegalArgumentException.class, () -> WorkLocations.defaultFor("/o.tflite", "a/b"));
    }

    @Test
    void shardIndexFallsBackToTheIndexedJobsVariable() {
        assertEquals(2, WorkLocations.shardIndex(Map.of("QUANTA_SHARD_INDEX", "2", "JOB_COMPLETION_INDEX", "1"), 3));
        assertEquals(1, WorkLocations.shardIndex(Map.of("JOB_COMPLETION_INDEX", "1"), 3));
        assertEquals(0, WorkLocations.shardIndex(Map.of(), 1));
        assertThrows(IllegalArgumentException.class, () -> WorkLocations.shardIndex(Map.of(), 3));
        assertThrows(
                IllegalArgumentException.class, () -> WorkLocations.shardIndex(Map.of("QUANTA_SHARD_INDEX", "3"), 3));
        assertEquals(64, WorkLocations.shardCount(Map.of("QUANTA_SHARD_COUNT", "64")));
        assertThrows(
                IllegalArgumentException.class, () -> WorkLocations.shardCount(Map.of("QUANTA_SHARD_COUNT", "65")));
    }

    @Test
    void phaseComesFromTheEnvironment() {
        QuantizationJobSpec spec = new QuantizationJobSpec();
        assertNull(JobRunner.phaseOf(Map.of(), spec));
        assertNull(JobRunner.phaseOf(Map.of("QUANTA_PHASE", "all"), spec));
        ShardedRun.Phase p = JobRunner.phaseOf(
                Map.of(
                        "QUANTA_PHASE", "evaluate",
                        "QUANTA_SHARD_COUNT", "3",
                        "JOB_COMPLETION_INDEX", "2",
                        "QUANTA_WORK_LOCATION", "/w/"),
                spec);
        assertEquals(EnginePhase.EVALUATE, p.phase());
        assertEquals(2, p.index());
        assertEquals(3, p.count());
        PipelineException e = assertThrows(
                PipelineException.class, () -> JobRunner.phaseOf(Map.of("QUANTA_PHASE", "calibrate"), spec));
        assertEquals("InvalidPhase", e.errorCode());
        assertEquals("phase calibrate needs QUANTA_WORK_LOCATION", e.getMessage());
        assertEquals(
                "InvalidPhase",
                assertThrows(PipelineException.class, () -> JobRunner.phaseOf(Map.of("QUANTA_PHASE", "x"), spec))
                        .errorCode());
    }
}
