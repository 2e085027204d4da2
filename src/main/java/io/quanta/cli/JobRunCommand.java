package io.quanta.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quanta.operator.api.ModelVolume;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.operator.dependent.EngineContract;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.reconciler.RunClassifier;
import io.quanta.operator.reconciler.RunState;
import io.quanta.operator.reconciler.SpecValidator;
import io.quanta.operator.reconciler.StatusCalculator;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import io.quanta.storage.Location;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code quanta job run FILE.yaml}: a QuantizationJob without a cluster. The manifest's spec is checked as the
 * operator checks it, run by the same engine step as in a pod, and the result is turned into a status by the
 * operator's own classifier and status calculator, then printed as YAML.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a QuantizationJob manifest on this machine and print the status the operator would record.",
                "Paths on a volume with a hostPath are read from (and written to) that host folder; other absolute "
                + "paths, file://, https:// and s3:// locations are used as given; relative paths are taken from the "
                + "manifest's folder. Secrets named by secretRef are read from QUANTA_SECRETS_DIR/<name>/ when that "
                + "folder exists, else credentials come from the environment (AWS_*)."})
public final class JobRunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.yaml", description = "A QuantizationJob manifest (quanta.io/v1alpha1).")
    Path manifest;

    @Option(names = "--volume", paramLabel = "NAME=DIR",
            description = "Use DIR for the spec's volume NAME instead of its hostPath (repeatable), e.g. shared=../shared.")
    Map<String, Path> volumeOverrides = new LinkedHashMap<>();

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Download cache and staging files (default: the temporary directory).")
    Path workDir;

    @Option(names = "--progress", negatable = true,
            description = "Show (or never show) progress lines on stderr; by default on a terminal.")
    Boolean progress;

    @ParentCommand
    JobCommand job;

    @Spec
    CommandSpec spec;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Override
    public Integer call() throws IOException {
        QuantizationJob qj = read(manifest);
        Map<String, String> env = job.main.environment();
        PrintWriter out = spec.commandLine().getOut();
        Instant started = Instant.now();

        specVolumes = qj.getSpec().volumes == null ? List.of() : qj.getSpec().volumes;
        RunState state;
        List<String> problems = SpecValidator.problems(qj.getSpec());
        if (!problems.isEmpty()) {
            // What the operator does with such a spec: no Job, status Failed/InvalidSpec.
            state = RunState.of(Phase.Failed, "InvalidSpec", String.join("; ", problems));
        } else {
            JobRunner runner = new JobRunner(env, Path.of(env.getOrDefault("QUANTA_SECRETS_DIR", EngineContract.SECRETS_DIR)),
                    workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir")));
            StageProgress listener = StageProgress.onStderr(spec, "job", progress);
            JobRunner.Finished finished;
            try {
                finished = runner.run(qj.getSpec(), this::toLocal, listener);
            } finally {
                listener.close();
            }
            // The engine's own output, as a pod would log it (its last line is the QUANTA-RESULT line).
            StringWriter engineLog = new StringWriter();
            PrintWriter engineOut = new PrintWriter(engineLog);
            JobStepCommand.report(finished, null, engineOut, new PrintWriter(spec.commandLine().getErr(), true));
            String log = engineLog.toString();
            List<String> lines = log.strip().lines().toList();
            lines.subList(0, lines.size() - 1).forEach(out::println);
            state = RunClassifier.classify(finishedJob(qj, finished.result(), started),
                    List.of(finishedPod(finished.result(), started)), pod -> Optional.of(log));
        }
        QuantizationJobStatus status = StatusCalculator.next(qj, EngineJobBuilder.jobName(qj), state, Instant.now());
        out.println("# status of QuantizationJob " + qj.getMetadata().getName() + " (as the operator would record it)");
        out.print(YAML.writeValueAsString(Map.of("status", status)));
        out.flush();
        return status.phase == Phase.Succeeded ? 0 : ErrorReporter.USER_ERROR;
    }

    private static QuantizationJob read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("no such manifest: " + file);
        }
        QuantizationJob qj;
        try {
            qj = YAML.readValue(file.toFile(), QuantizationJob.class);
        } catch (IOException e) {
            throw new UserException(file + " is not a QuantizationJob manifest: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (qj == null || qj.getSpec() == null || qj.getMetadata() == null || qj.getMetadata().getName() == null) {
            throw new UserException(file + ": a QuantizationJob needs metadata.name and spec");
        }
        if (!"QuantizationJob".equals(qj.getKind())) {
            throw new UserException(file + ": kind is '" + qj.getKind() + "', expected QuantizationJob");
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
     * under its host folder (--volume, else hostPath when it exists or the volume is writable); relative paths are
     * taken from the manifest's folder; remote locations stay as they are.
     */
    String toLocal(String uri) {
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
        if (!p.isAbsolute()) {
            Path base = manifest.toAbsolutePath().getParent();
            return base.resolve(p).normalize() + (uri.endsWith("/") ? "/" : "");
        }
        List<ModelVolume> volumes = new ArrayList<>(specVolumes);
        volumes.sort(Comparator.comparingInt((ModelVolume v) -> v.mountPath.length()).reversed());
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
            return host.toAbsolutePath().resolve(mount.relativize(p.normalize()).toString()).normalize()
                    + (uri.endsWith("/") ? "/" : "");
        }
        return uri;
    }

    private List<ModelVolume> specVolumes = List.of();

    private static boolean createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The finished batch/v1 Job the operator would observe for this result. */
    private static Job finishedJob(QuantizationJob qj, RunResult result, Instant started) {
        String start = timestamp(started);
        String end = timestamp(Instant.now());
        return new JobBuilder()
                .withNewMetadata().withName(EngineJobBuilder.jobName(qj)).endMetadata()
                .withNewStatus().withStartTime(start).withCompletionTime(result.succeeded() ? end : null)
                .addNewCondition().withType(result.succeeded() ? "Complete" : "Failed").withStatus("True")
                .withReason(result.succeeded() ? null : "BackoffLimitExceeded").withLastTransitionTime(end).endCondition()
                .endStatus()
                .build();
    }

    /** Its engine pod: the container terminated with the engine's exit code and termination message. */
    private static Pod finishedPod(RunResult result, Instant started) {
        return new PodBuilder()
                .withNewMetadata().withName("local").withCreationTimestamp(timestamp(started)).endMetadata()
                .withNewStatus().withPhase(result.succeeded() ? "Succeeded" : "Failed")
                .withContainerStatuses(new ContainerStatusBuilder().withName(EngineContract.CONTAINER)
                        .withNewState().withNewTerminated().withExitCode(result.succeeded() ? 0 : ErrorReporter.USER_ERROR)
                        .withReason(result.succeeded() ? "Completed" : "Error")
                        .withMessage(ResultCodec.toTerminationMessage(result)).endTerminated().endState().build())
                .endStatus()
                .build();
    }

    private static String timestamp(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
