package io.quanta.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quanta.eval.EvaluationTotals;
import io.quanta.eval.TensorPair;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineListener;
import io.quanta.pipeline.QuantizationReport;
import io.quanta.pipeline.Reports;
import io.quanta.pipeline.ShardFiles;
import io.quanta.pipeline.ShardSteps;
import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;
import io.quanta.storage.PublishedObject;
import io.quanta.storage.Storage;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The phases of a sharded run ({@link EnginePhase}), each what one pod does: the same code runs in the operator's
 * pods ({@code quanta job step} with {@code QUANTA_PHASE}) and in {@code quanta job run} (threads). Intermediate
 * files go through the storage layer under the work location (reached with the output's storage): calibration
 * statistics {@code stats-<I>-of-<N>.json}, the quantize phase's record {@value WorkLocations#QUANTIZED}, evaluation
 * tallies {@code tally-<I>-of-<N>.json}.
 */
public final class ShardedRun {
    /** Which phase, which shard of how many, where the intermediates go, whether merge keeps them. */
    public record Phase(EnginePhase phase, int index, int count, String workLocation, boolean keepIntermediate) {
        public Phase {
            if (count < 1 || count > EngineContract.MAX_SHARDS || index < 0 || index >= count) {
                throw new IllegalArgumentException("shard " + index + " of " + count);
            }
            if (workLocation == null || workLocation.isBlank()) {
                throw new IllegalArgumentException(
                        "a sharded phase needs a work location (" + EngineContract.ENV_WORK_LOCATION + ")");
            }
        }
    }

    /**
     * What the quantize phase leaves for the evaluate and merge phases: the report so far (without evaluation, as
     * the pipeline wrote it), the pairs of tensors the evaluation compares, the published model, and why evaluation
     * is skipped (null when it is not).
     */
    record Quantized(
            int formatVersion,
            String report,
            List<int[]> pairs,
            PublishedObject model,
            String floatSha256,
            String evaluationSkipped) {
        static final int FORMAT_VERSION = 1;
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ShardedRun() {}

    /**
     * Runs one phase of {@code req}. Failures come out as {@link PipelineException}s, as from a whole run; the
     * outcome is set only by the merge phase (the published report).
     */
    static Result run(StoredRun.Request req, Phase p, Path cacheDir, Path workDir, PipelineListener listener) {
        Storage work = req.output().storage();
        return switch (p.phase()) {
            case PREPARE -> prepare(p, work, workDir);
            case CALIBRATE -> calibrate(req, p, work, cacheDir, workDir, listener);
            case QUANTIZE -> quantize(req, p, work, cacheDir, workDir, listener);
            case EVALUATE -> evaluate(req, p, work, cacheDir, workDir, listener);
            case MERGE -> merge(req, p, work, cacheDir, workDir);
            case CLEANUP -> cleanup(p, work);
            case ALL -> throw new IllegalArgumentException("phase all is a whole run, not a phase of a sharded one");
        };
    }

    /** A phase's result, and the published outcome when the phase finished the run (merge). */
    record Result(RunResult result, StoredRun.Outcome outcome) {}

    // ---------------------------------------------------------------- phases

    private static Result prepare(Phase p, Storage work, Path workDir) {
        String marker = WorkLocations.file(p.workLocation(), WorkLocations.MARKER);
        Path staged = null;
        try {
            Files.createDirectories(workDir);
            staged = Files.createTempFile(workDir, "marker-", ".txt");
            Files.writeString(staged, "written by the prepare phase of a Quanta run; deleted at once\n");
            work.publish(staged, marker);
            work.delete(marker);
        } catch (StorageException | IOException e) {
            throw new PipelineException(
                    Stage.LOAD,
                    EngineContract.REASON_WORK_LOCATION_NOT_WRITABLE,
                    "the work location " + p.workLocation() + " cannot be written: " + e.getMessage(),
                    e);
        } finally {
            deleteQuietly(staged);
        }
        return done("work location " + p.workLocation() + " is writable");
    }

    private static Result calibrate(
            StoredRun.Request req, Phase p, Storage work, Path cacheDir, Path workDir, PipelineListener listener) {
        StoredRun.Local local = StoredRun.local(req, cacheDir, workDir);
        try {
            ShardSteps.CalibrationShard shard = ShardSteps.calibrate(local.request(), p.index(), p.count(), listener);
            String where = put(
                    work,
                    local,
                    WorkLocations.file(p.workLocation(), WorkLocations.statsName(p.index(), p.count())),
                    ShardFiles.toJson(shard));
            return done("calibration shard " + p.index() + "/" + p.count() + ": samples " + shard.from() + ".."
                    + shard.to() + " of " + shard.samples() + " -> " + where);
        } finally {
            StoredRun.deleteTree(local.staging());
        }
    }

    private static Result quantize(
            StoredRun.Request req, Phase p, Storage work, Path cacheDir, Path workDir, PipelineListener listener) {
        StoredRun.Local local = StoredRun.local(req, cacheDir, workDir);
        try {
            List<ShardSteps.CalibrationShard> shards = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < p.count(); i++) {
                String name = WorkLocations.statsName(i, p.count());
                Path file = get(
                        work,
                        WorkLocations.file(p.workLocation(), name),
                        cacheDir,
                        Stage.QUANTIZE,
                        "calibration statistics of shard " + i + " of " + p.count());
                shards.add(ShardFiles.calibration(file, name));
                names.add(name);
            }
            Pipeline.GivenStats given = ShardSteps.mergeCalibration(shards, names);
            Pipeline.Ran ran = Pipeline.run(local.request(), listener, given, true);
            PublishedObject model = StoredRun.publish(
                    req.output().storage(), local.stagedModel(), req.output().location());
            List<int[]> pairs = ran.pairs().stream()
                    .map(t -> new int[] {t.quantizedIndex(), t.floatIndex()})
                    .toList();
            Quantized q = new Quantized(
                    Quantized.FORMAT_VERSION,
                    Reports.toJson(ran.outcome().report()),
                    pairs,
                    model,
                    ran.floatSha256(),
                    ran.evaluationSkipped());
            put(work, local, WorkLocations.file(p.workLocation(), WorkLocations.QUANTIZED), toJson(q));
            return new Result(
                    Reports.summary(StoredRun.withLocations(ran.outcome().report(), req, model)), null);
        } finally {
            StoredRun.deleteTree(local.staging());
        }
    }

    private static Result evaluate(
            StoredRun.Request req, Phase p, Storage work, Path cacheDir, Path workDir, PipelineListener listener) {
        Quantized q = quantized(work, p, cacheDir);
        String name = WorkLocations.tallyName(p.index(), p.count());
        String target = WorkLocations.file(p.workLocation(), name);
        StoredRun.Local local = StoredRun.local(req, cacheDir, workDir);
        try {
            ShardSteps.EvaluationShard shard;
            if (q.evaluationSkipped() != null) {
                shard = new ShardSteps.EvaluationShard(
                        q.floatSha256(),
                        q.model().sha256(),
                        0,
                        p.index(),
                        p.count(),
                        0,
                        0,
                        null,
                        q.evaluationSkipped());
            } else {
                Path model = StoredRun.fetch(
                        new StoredRun.Stored(q.model().location(), req.output().storage()),
                        cacheDir,
                        false,
                        "ModelNotFound",
                        "quantized model");
                shard = ShardSteps.evaluate(local.request(), model, pairs(q), p.index(), p.count(), listener);
                if (!shard.quantizedSha256().equals(q.model().sha256())) {
                    throw new PipelineException(
                            Stage.EVALUATE,
                            "PartialMismatch",
                            q.model().location() + " changed since the quantize phase wrote it (sha256 "
                                    + shard.quantizedSha256() + ", written "
                                    + q.model().sha256() + ")",
                            null);
                }
            }
            String where = put(work, local, target, ShardFiles.toJson(shard));
            return done("evaluation shard " + p.index() + "/" + p.count() + ": samples " + shard.from() + ".."
                    + shard.to() + " of " + shard.samples() + " -> " + where);
        } finally {
            StoredRun.deleteTree(local.staging());
        }
    }

    private static Result merge(StoredRun.Request req, Phase p, Storage work, Path cacheDir, Path workDir) {
        long started = System.nanoTime();
        Quantized q = quantized(work, p, cacheDir);
        List<ShardSteps.EvaluationShard> shards = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < p.count(); i++) {
            String name = WorkLocations.tallyName(i, p.count());
            Path file = get(
                    work,
                    WorkLocations.file(p.workLocation(), name),
                    cacheDir,
                    Stage.EVALUATE,
                    "evaluation tallies of shard " + i + " of " + p.count());
            shards.add(ShardFiles.evaluation(file, name));
            names.add(name);
        }
        String skipped = ShardSteps.skipped(shards);
        EvaluationTotals totals = skipped != null ? null : ShardSteps.mergeEvaluation(shards, names);
        StoredRun.Local local = StoredRun.local(req, cacheDir, workDir);
        try {
            Path model = totals == null
                    ? null
                    : StoredRun.fetch(
                            new StoredRun.Stored(
                                    q.model().location(), req.output().storage()),
                            cacheDir,
                            false,
                            "ModelNotFound",
                            "quantized model");
            QuantizationReport deferred = Reports.fromJson(q.report());
            Pipeline.Outcome merged = ShardSteps.withEvaluation(
                    local.request(),
                    deferred,
                    model,
                    pairs(q),
                    totals,
                    skipped,
                    (System.nanoTime() - started) / 1_000_000);
            StoredRun.Outcome outcome = StoredRun.publishReport(req, local, merged.report(), q.model());
            if (!p.keepIntermediate()) {
                deleteWork(p, work);
            }
            return new Result(outcome.summary(), outcome);
        } finally {
            StoredRun.deleteTree(local.staging());
        }
    }

    private static Result cleanup(Phase p, Storage work) {
        deleteWork(p, work);
        return done("work location " + p.workLocation() + " deleted");
    }

    // ---------------------------------------------------------------- edges

    private static void deleteWork(Phase p, Storage work) {
        try {
            work.deleteTree(p.workLocation());
        } catch (StorageException e) {
            throw new PipelineException(
                    Stage.WRITE,
                    "WorkLocationNotDeleted",
                    "cannot delete the work location " + p.workLocation() + ": " + e.getMessage(),
                    e);
        }
    }

    private static Quantized quantized(Storage work, Phase p, Path cacheDir) {
        Path file = get(
                work,
                WorkLocations.file(p.workLocation(), WorkLocations.QUANTIZED),
                cacheDir,
                Stage.EVALUATE,
                "the quantize phase's record");
        try {
            Quantized q =
                    JSON.readValue(ShardFiles.text(file, WorkLocations.QUANTIZED, Stage.EVALUATE), Quantized.class);
            if (q == null || q.formatVersion() != Quantized.FORMAT_VERSION || q.model() == null || q.report() == null) {
                throw new PipelineException(
                        Stage.EVALUATE,
                        "PartialInvalid",
                        WorkLocations.QUANTIZED + " is not a quantize phase record of this version",
                        null);
            }
            return q;
        } catch (JsonProcessingException e) {
            throw new PipelineException(
                    Stage.EVALUATE, "PartialInvalid", WorkLocations.QUANTIZED + " is not valid JSON", e);
        }
    }

    private static List<TensorPair> pairs(Quantized q) {
        return q.pairs().stream().map(a -> new TensorPair(a[0], a[1])).toList();
    }

    private static String toJson(Quantized q) {
        try {
            return JSON.writeValueAsString(q);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the quantize phase's record", e);
        }
    }

    /** Writes {@code text} to {@code location} through the staging folder; where it went. */
    private static String put(Storage storage, StoredRun.Local local, String location, String text) {
        Path staged = local.staging().resolve("partial.json");
        StoredRun.write(staged, text);
        try {
            return storage.publish(staged, location).location();
        } catch (StorageException e) {
            throw new PipelineException(
                    Stage.WRITE,
                    EngineContract.REASON_WORK_LOCATION_NOT_WRITABLE,
                    "cannot write " + location + ": " + e.getMessage(),
                    e);
        }
    }

    /** A file of the work location, fetched; a missing one is {@code ShardMissing}. */
    private static Path get(Storage storage, String location, Path cacheDir, Stage stage, String what) {
        try {
            return storage.fetch(location, cacheDir);
        } catch (StorageException e) {
            throw new PipelineException(stage, "ShardMissing", what + " not found: " + e.getMessage(), e);
        }
    }

    private static Result done(String message) {
        return new Result(RunResult.done(message), null);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temporary file; harmless
            }
        }
    }
}
