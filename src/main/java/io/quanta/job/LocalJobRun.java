package io.quanta.job;

import io.quanta.operator.api.ModelVolume;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.pipeline.PipelineListener;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import io.quanta.storage.Location;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A QuantizationJob without a cluster ({@code quanta job run}): the manifest's spec is checked as the operator
 * checks it, run by the same {@link JobRunner} as in an engine pod, and the finished run is turned into a status by
 * the operator's own {@link RunClassifier} and {@link StatusCalculator}.
 *
 * <p>Paths on a volume are read from (and written to) its host folder: {@code volumeOverrides} by volume name, else
 * its hostPath when that exists (or the volume is writable and it can be created). Relative paths are taken from
 * the manifest's folder; remote locations are used as given.
 */
public final class LocalJobRun {
    /** The status the operator would record; {@code finished} is null when the spec was refused before running. */
    public record Outcome(QuantizationJob job, QuantizationJobStatus status, JobRunner.Finished finished) {
        public boolean succeeded() {
            return status.phase == Phase.Succeeded;
        }
    }

    private final Path manifest;
    private final Map<String, Path> volumeOverrides;
    private final Clock clock;
    private final String workLocation;
    private final JobRunner.PhaseTimes times;

    public LocalJobRun(Path manifest, Map<String, Path> volumeOverrides, Clock clock) {
        this(manifest, volumeOverrides, clock, null, JobRunner.PhaseTimes.NONE);
    }

    /**
     * @param workLocation where a sharded run ({@code spec.parallelism} above 1) keeps its intermediates; null: a new
     *                     temporary folder
     * @param times        told each phase's time in a sharded run
     */
    public LocalJobRun(
            Path manifest,
            Map<String, Path> volumeOverrides,
            Clock clock,
            String workLocation,
            JobRunner.PhaseTimes times) {
        this.manifest = manifest;
        this.volumeOverrides = Map.copyOf(volumeOverrides);
        this.clock = clock;
        this.workLocation = workLocation;
        this.times = times;
    }

    private String workLocation() {
        if (workLocation != null) {
            return workLocation;
        }
        try {
            return Files.createTempDirectory("quanta-shards-").toAbsolutePath() + "/";
        } catch (IOException e) {
            throw new ManifestException("cannot create a work folder for the shards: " + e.getMessage(), e);
        }
    }

    /** Reads the manifest and runs it with {@code runner}; ManifestException when it is not a QuantizationJob. */
    public Outcome run(JobRunner runner, PipelineListener listener) {
        QuantizationJob qj = read(manifest);
        String jobName = JobNames.jobName(qj);
        List<String> problems = SpecValidator.problems(qj.getSpec());
        if (!problems.isEmpty()) {
            // What the operator does with such a spec: no Job, status Failed/InvalidSpec.
            RunState invalid = RunState.of(Phase.Failed, "InvalidSpec", String.join("; ", problems));
            return new Outcome(qj, StatusCalculator.next(qj, null, invalid, clock.instant()), null);
        }
        Instant started = clock.instant();
        List<ModelVolume> volumes = qj.getSpec().volumes == null ? List.of() : qj.getSpec().volumes;
        int parallelism = qj.getSpec().parallelism == null ? 1 : qj.getSpec().parallelism;
        JobRunner.Finished finished = parallelism <= 1
                ? runner.run(qj.getSpec(), uri -> toLocal(uri, volumes), listener)
                : runner.runSharded(
                        qj.getSpec(), uri -> toLocal(uri, volumes), parallelism, workLocation(), listener, times);
        Instant ended = clock.instant();
        RunState state = RunClassifier.classify(observation(jobName, finished, started, ended));
        return new Outcome(qj, StatusCalculator.next(qj, jobName, state, ended), finished);
    }

    /**
     * The finished local run as the operator would observe its Job: ended complete or failed, with one attempt
     * whose engine exited with the step's exit code, termination message and result log line.
     */
    static RunObservation observation(String jobName, JobRunner.Finished finished, Instant started, Instant ended) {
        RunResult result = finished.result();
        boolean ok = result.succeeded();
        RunObservation.End end = new RunObservation.End(
                ok ? RunObservation.Ending.COMPLETE : RunObservation.Ending.FAILED,
                StatusCalculator.timestamp(ended),
                null,
                null);
        RunObservation.Terminated terminated = new RunObservation.Terminated(
                finished.exitCode(), ok ? "Completed" : "Error", ResultCodec.toTerminationMessage(result));
        RunObservation.Engine engine = new RunObservation.Engine(null, null, null, false, terminated);
        String log = ResultCodec.toLogLine(result);
        RunObservation.Attempt attempt =
                new RunObservation.Attempt("local", ok ? "Succeeded" : "Failed", engine, () -> Optional.of(log));
        return new RunObservation(jobName, StatusCalculator.timestamp(started), end, attempt);
    }

    static QuantizationJob read(Path file) {
        QuantizationJob qj = ManifestReader.readYaml(file, QuantizationJob.class);
        if (qj == null
                || qj.getSpec() == null
                || qj.getMetadata() == null
                || qj.getMetadata().getName() == null) {
            throw new ManifestException(file + ": a QuantizationJob needs metadata.name and spec", null);
        }
        if (!"QuantizationJob".equals(qj.getKind())) {
            throw new ManifestException(file + ": kind is '" + qj.getKind() + "', expected QuantizationJob", null);
        }
        if (qj.getMetadata().getGeneration() == null) {
            qj.getMetadata().setGeneration(1L); // what the API server gives a new resource
        }
        if (qj.getMetadata().getNamespace() == null) {
            qj.getMetadata().setNamespace("default");
        }
        return qj;
    }

    /**
     * A location as the engine on this machine sees it: a path under a volume's mountPath becomes the same path
     * under its host folder; relative paths are taken from the manifest's folder; remote locations stay as they are.
     */
    String toLocal(String uri, List<ModelVolume> specVolumes) {
        Location loc;
        try {
            loc = Location.parse(uri);
        } catch (StorageException e) {
            return uri; // the engine step reports it
        }
        if (!(loc instanceof Location.Local local)) {
            return uri;
        }
        Path p = local.path();
        String slash = uri.endsWith("/") ? "/" : "";
        if (!p.isAbsolute()) {
            return manifest.toAbsolutePath().getParent().resolve(p).normalize() + slash;
        }
        List<ModelVolume> volumes = new ArrayList<>(specVolumes);
        volumes.sort(
                Comparator.comparingInt((ModelVolume v) -> v.mountPath.length()).reversed());
        for (ModelVolume v : volumes) {
            Path mount = Path.of(v.mountPath).normalize();
            if (!p.normalize().startsWith(mount)) {
                continue;
            }
            Path host = volumeOverrides.get(v.name);
            if (host == null && v.hostPath != null) {
                Path hostPath = Path.of(v.hostPath);
                boolean writable = !Boolean.TRUE.equals(v.readOnly);
                if (Files.isDirectory(hostPath) || writable && createDirectories(hostPath)) {
                    host = hostPath;
                }
            }
            if (host == null) {
                return uri;
            }
            return host.toAbsolutePath()
                            .resolve(mount.relativize(p.normalize()).toString())
                            .normalize()
                    + slash;
        }
        return uri;
    }

    private static boolean createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
