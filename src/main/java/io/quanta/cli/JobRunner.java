package io.quanta.cli;

import io.quanta.operator.api.Location;
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
final class JobRunner {
    /** A finished run: the result, and the outcome when it succeeded (for the human-readable summary). */
    record Finished(RunResult result, StoredRun.Outcome outcome, boolean internalError) {}

    private final Map<String, String> environment;
    private final Path secretsDir;
    private final Path workDir;
    private final Map<String, Storage> storages = new LinkedHashMap<>();

    JobRunner(Map<String, String> environment, Path secretsDir, Path workDir) {
        this.environment = environment;
        this.secretsDir = secretsDir;
        this.workDir = workDir;
    }

    /** {@code mapLocation} rewrites a location's uri first (a local run maps volume paths to host paths). */
    Finished run(QuantizationJobSpec spec, UnaryOperator<String> mapLocation, PipelineListener listener) {
        try {
            StoredRun.Request request = JobSpecs.request(spec,
                    l -> new StoredRun.Stored(mapLocation.apply(l.uri.strip()), storageFor(l)));
            if (JobSpecs.labelsFromFileNames(spec)) {
                request = request.withEvalLabelsFromFileNames();
            }
            StoredRun.Outcome outcome = StoredRun.run(request, workDir.resolve("quanta-cache"),
                    workDir.resolve("quanta-work"), listener);
            return new Finished(outcome.summary(), outcome, false);
        } catch (PipelineException e) {
            boolean bug = e.getCause() != null && ErrorReporter.classify(e.getCause()).exitCode() == ErrorReporter.INTERNAL_ERROR;
            return new Finished(withUnsupportedOps(e.toRunResult(), e), null, bug);
        } catch (StorageException | UserException e) {
            return new Finished(RunResult.failure(Stage.LOAD, "InvalidSpec", e.getMessage()), null, false);
        } catch (RuntimeException | OutOfMemoryError e) {
            ErrorReporter.Failure f = ErrorReporter.classify(e);
            boolean bug = f.exitCode() == ErrorReporter.INTERNAL_ERROR;
            return new Finished(RunResult.failure(Stage.LOAD, bug ? "InternalError" : "EngineError", f.message()), null, bug);
        } finally {
            storages.values().forEach(Storage::close);
            storages.clear();
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

    private Storage storageFor(Location l) {
        String secret = l.secretRef == null ? "" : l.secretRef.name;
        return storages.computeIfAbsent(secret, name -> {
            StorageOptions.Builder b = StorageOptions.fromEnvironment(environment);
            if (!name.isEmpty()) {
                b.secretFiles(secretsDir.resolve(name));
            }
            return new Storage(b.build());
        });
    }
}
