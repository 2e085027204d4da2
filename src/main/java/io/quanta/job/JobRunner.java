package io.quanta.job;

import io.quanta.operator.api.LocationSpec;
import io.quanta.operator.api.QuantizationJobSpec;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineListener;
import io.quanta.quantize.OpReport;
import io.quanta.quantize.UnquantizableOpsException;
import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;
import io.quanta.storage.Storage;
import io.quanta.storage.StorageException;
import io.quanta.storage.StorageOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Runs one QuantizationJob spec and always returns a {@link RunResult}, success or failure: what the engine pod
 * reports to the operator and what {@code job run} turns into a status. Each location is reached with the storage
 * of its {@code secretRef} (the Secret's files under the secrets folder), or the environment's without one.
 */
public final class JobRunner {
    /** A finished run: the result, and the outcome when it succeeded (for the human-readable summary). */
    public record Finished(RunResult result, StoredRun.Outcome outcome, boolean internalError) {
        /** A run that failed before it started (e.g. a spec that does not parse). */
        public static Finished failed(RunResult result) {
            return new Finished(result, null, false);
        }

        /** The engine step's exit code for this run ({@link EngineContract}). */
        public int exitCode() {
            return result.succeeded()
                    ? EngineContract.EXIT_SUCCEEDED
                    : internalError ? EngineContract.EXIT_INTERNAL_ERROR : EngineContract.EXIT_FAILED;
        }
    }

    private final Map<String, String> environment;
    private final Path secretsDir;
    private final Path workDir;
    private final Map<String, Storage> storages = new LinkedHashMap<>();

    /**
     * @param environment the process environment (AWS_* storage settings)
     * @param secretsDir  one folder per Secret named by a location's secretRef
     * @param workDir     where the download cache and the staging directories go
     */
    public JobRunner(Map<String, String> environment, Path secretsDir, Path workDir) {
        this.environment = environment;
        this.secretsDir = secretsDir;
        this.workDir = workDir;
    }

    /** The engine pod's runner: Secrets and work directory where the contract puts them, unless overridden. */
    public static JobRunner inPod(Map<String, String> environment) {
        return new JobRunner(
                environment,
                Path.of(environment.getOrDefault(EngineContract.ENV_SECRETS_DIR, EngineContract.SECRETS_DIR)),
                Path.of(environment.getOrDefault(EngineContract.ENV_WORK_DIR, EngineContract.TMP_DIR)));
    }

    /**
     * The engine pod's run: the spec in {@code QUANTA_JOB_SPEC}, locations as they are; the whole run, or the phase
     * of a sharded run that {@code QUANTA_PHASE} names ({@link EngineContract}).
     */
    public Finished step(PipelineListener listener) {
        QuantizationJobSpec spec;
        ShardedRun.Phase phase;
        try {
            spec = JobSpecs.parse(environment.get(EngineContract.ENV_SPEC));
            phase = phaseOf(environment, spec);
        } catch (PipelineException e) {
            return Finished.failed(e.toRunResult());
        }
        return phase == null
                ? run(spec, UnaryOperator.identity(), listener)
                : runPhase(spec, UnaryOperator.identity(), phase, listener);
    }

    /**
     * The phase the environment names, or null for a whole run ({@code QUANTA_PHASE} absent or {@code all});
     * a bad value is an {@code InvalidPhase} failure.
     */
    static ShardedRun.Phase phaseOf(Map<String, String> env, QuantizationJobSpec spec) {
        try {
            EnginePhase phase = EnginePhase.parse(env.get(EngineContract.ENV_PHASE));
            if (phase == EnginePhase.ALL) {
                return null;
            }
            int count = WorkLocations.shardCount(env);
            int index = phase.sharded() ? WorkLocations.shardIndex(env, count) : 0;
            String work = env.get(EngineContract.ENV_WORK_LOCATION);
            if (work == null || work.isBlank()) {
                throw new IllegalArgumentException(
                        "phase " + phase.label() + " needs " + EngineContract.ENV_WORK_LOCATION);
            }
            return new ShardedRun.Phase(phase, index, count, work.strip(), Boolean.TRUE.equals(spec.keepIntermediate));
        } catch (IllegalArgumentException e) {
            throw new PipelineException(Stage.LOAD, "InvalidPhase", e.getMessage(), null);
        }
    }

    /** {@code mapLocation} rewrites a location's uri first (a local run maps volume paths to host paths). */
    public Finished run(QuantizationJobSpec spec, UnaryOperator<String> mapLocation, PipelineListener listener) {
        return attempt(() -> {
            StoredRun.Request request = request(spec, mapLocation);
            StoredRun.Outcome outcome =
                    StoredRun.run(request, workDir.resolve("quanta-cache"), workDir.resolve("quanta-work"), listener);
            return new Finished(outcome.summary(), outcome, false);
        });
    }

    /** One phase of a sharded run of {@code spec} ({@link ShardedRun}); the work location is mapped too. */
    public Finished runPhase(
            QuantizationJobSpec spec,
            UnaryOperator<String> mapLocation,
            ShardedRun.Phase phase,
            PipelineListener listener) {
        return attempt(() -> {
            StoredRun.Request request = request(spec, mapLocation);
            ShardedRun.Phase mapped = new ShardedRun.Phase(
                    phase.phase(),
                    phase.index(),
                    phase.count(),
                    mapLocation.apply(phase.workLocation()),
                    phase.keepIntermediate());
            ShardedRun.Result r = ShardedRun.run(
                    request, mapped, workDir.resolve("quanta-cache"), workDir.resolve("quanta-work"), listener);
            return new Finished(r.result(), r.outcome(), false);
        });
    }

    /** Told how long each phase (and each shard of it) took in {@link #runSharded}. */
    @FunctionalInterface
    public interface PhaseTimes {
        PhaseTimes NONE = (phase, index, count, millis) -> {};

        void phaseDone(EnginePhase phase, int index, int count, long millis);
    }

    /**
     * A sharded run in this process ({@code quanta job run} with {@code parallelism} N): the phases the operator
     * runs as pods, through the same {@link ShardedRun} code, the N shards of calibrate and evaluate on threads.
     * A failed phase ends the run with its result (the lowest failed shard's); the work location is cleaned up
     * then, and after success by merge, unless the spec keeps intermediates.
     */
    public Finished runSharded(
            QuantizationJobSpec spec,
            UnaryOperator<String> mapLocation,
            int count,
            String workLocation,
            PipelineListener listener,
            PhaseTimes times) {
        boolean keep = Boolean.TRUE.equals(spec.keepIntermediate);
        Finished last = null;
        for (EnginePhase phase : List.of(
                EnginePhase.PREPARE,
                EnginePhase.CALIBRATE,
                EnginePhase.QUANTIZE,
                EnginePhase.EVALUATE,
                EnginePhase.MERGE)) {
            int shards = phase.sharded() ? count : 1;
            Finished[] done = new Finished[shards];
            Thread[] threads = new Thread[shards];
            for (int i = 0; i < shards; i++) {
                int index = i;
                ShardedRun.Phase p = new ShardedRun.Phase(phase, index, count, workLocation, keep);
                // Each shard its own runner (its own storage clients), as each pod has.
                Runnable work = () -> {
                    long t0 = System.nanoTime();
                    done[index] = new JobRunner(environment, secretsDir, workDir)
                            .runPhase(spec, mapLocation, p, shards == 1 ? listener : PipelineListener.NONE);
                    times.phaseDone(phase, index, shards, (System.nanoTime() - t0) / 1_000_000);
                };
                if (shards == 1) {
                    work.run();
                } else {
                    threads[i] = new Thread(work, "quanta-" + phase.label() + "-" + i);
                    threads[i].start();
                }
            }
            for (Thread t : threads) {
                join(t);
            }
            for (Finished f : done) {
                if (f == null || !f.result().succeeded()) {
                    if (!keep && phase != EnginePhase.PREPARE) {
                        new JobRunner(environment, secretsDir, workDir)
                                .runPhase(
                                        spec,
                                        mapLocation,
                                        new ShardedRun.Phase(EnginePhase.CLEANUP, 0, count, workLocation, keep),
                                        PipelineListener.NONE);
                    }
                    return f != null
                            ? f
                            : Finished.failed(RunResult.failure(
                                    Stage.LOAD, "InternalError", phase.label() + " ended without a result"));
                }
                last = f;
            }
        }
        return last;
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private StoredRun.Request request(QuantizationJobSpec spec, UnaryOperator<String> mapLocation) {
        return JobSpecs.request(spec, l -> new StoredRun.Stored(mapLocation.apply(l.uri.strip()), storageFor(l)));
    }

    /** Runs {@code work}, turning every failure into a finished run with its result (never throws). */
    private Finished attempt(java.util.function.Supplier<Finished> work) {
        try {
            return work.get();
        } catch (PipelineException e) {
            boolean bug =
                    e.getCause() != null && Failures.classify(e.getCause()).internal();
            return new Finished(withUnsupportedOps(e.toRunResult(), e), null, bug);
        } catch (StorageException e) {
            return Finished.failed(RunResult.failure(Stage.LOAD, "InvalidSpec", e.getMessage()));
        } catch (RuntimeException | OutOfMemoryError e) {
            Failures.Failure f = Failures.classify(e);
            return new Finished(
                    RunResult.failure(Stage.LOAD, f.internal() ? "InternalError" : "EngineError", f.message()),
                    null,
                    f.internal());
        } finally {
            synchronized (storages) {
                storages.values().forEach(Storage::close);
                storages.clear();
            }
        }
    }

    /** An int8-only failure also lists the op types in the coverage, where the status shows them. */
    private static RunResult withUnsupportedOps(RunResult r, PipelineException e) {
        if (e.getCause() instanceof UnquantizableOpsException u) {
            TreeSet<String> types = new TreeSet<>();
            for (OpReport op : u.ops()) {
                types.add(op.opType());
            }
            return r.withCoverage(new RunResult.Coverage(0, 0, 0, List.copyOf(types)));
        }
        return r;
    }

    private Storage storageFor(LocationSpec l) {
        String secret = l.secretRef == null ? "" : l.secretRef.name;
        synchronized (storages) {
            return storages.computeIfAbsent(secret, this::newStorage);
        }
    }

    private Storage newStorage(String name) {
        StorageOptions.Builder b = StorageOptions.fromEnvironment(environment);
        if (!name.isEmpty()) {
            b.secretFiles(secretsDir.resolve(name));
        }
        return new Storage(b.build());
    }
}
