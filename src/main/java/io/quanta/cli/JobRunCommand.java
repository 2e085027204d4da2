package io.quanta.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.quanta.job.EngineContract;
import io.quanta.job.JobRunner;
import io.quanta.job.LocalJobRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code quanta job run FILE.yaml}: a QuantizationJob without a cluster ({@link LocalJobRun}), printing the engine's
 * summary and then the status the operator would record, as YAML.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a QuantizationJob manifest on this machine and print the status the operator would record.",
            "Paths on a volume with a hostPath are read from (and written to) that host folder; other absolute "
                    + "paths, file://, https:// and s3:// locations are used as given; relative paths are taken from the "
                    + "manifest's folder. Secrets named by secretRef are read from QUANTA_SECRETS_DIR/<name>/ when that "
                    + "folder exists, else credentials come from the environment (AWS_*)."
        })
public final class JobRunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.yaml", description = "A QuantizationJob manifest (quanta.io/v1alpha1).")
    Path manifest;

    @Option(
            names = "--volume",
            paramLabel = "NAME=DIR",
            description =
                    "Use DIR for the spec's volume NAME instead of its hostPath (repeatable), e.g. shared=../shared.")
    Map<String, Path> volumeOverrides = new LinkedHashMap<>();

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Download cache and staging files (default: the temporary directory).")
    Path workDir;

    @Option(
            names = "--work-location",
            paramLabel = "LOC",
            description = "Where a sharded run (spec.parallelism above 1) keeps its intermediate files (a folder or "
                    + "s3:// prefix; default: a new temporary folder). Its shards run as threads of this process.")
    String workLocation;

    @Mixin
    ProgressOption progress;

    @ParentCommand
    JobCommand job;

    @Spec
    CommandSpec spec;

    /** Built on first use: picocli creates this command for every {@code job step} too, which never prints YAML. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    }

    @Override
    public Integer call() throws IOException {
        Map<String, String> env = job.main.environment();
        PrintWriter out = spec.commandLine().getOut();
        JobRunner runner = new JobRunner(
                env,
                Path.of(env.getOrDefault(EngineContract.ENV_SECRETS_DIR, EngineContract.SECRETS_DIR)),
                workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir")));
        LocalJobRun.Outcome outcome;
        StageProgress listener = progress.onStderr(spec, "job");
        try {
            PrintWriter err = spec.commandLine().getErr();
            JobRunner.PhaseTimes times = (phase, index, count, millis) -> {
                synchronized (err) {
                    err.println("phase " + phase.label() + (count > 1 ? " shard " + index + "/" + count : "") + ": "
                            + millis + " ms");
                    err.flush();
                }
            };
            outcome = new LocalJobRun(manifest, volumeOverrides, Clock.systemUTC(), workLocation, times)
                    .run(runner, listener);
        } finally {
            listener.close();
        }
        if (outcome.finished() != null) {
            // The engine's own output, as a pod would log it, without its last line (the QUANTA-RESULT line).
            StringWriter engineLog = new StringWriter();
            JobStepCommand.report(
                    outcome.finished(),
                    null,
                    new PrintWriter(engineLog),
                    new PrintWriter(spec.commandLine().getErr(), true));
            List<String> lines = engineLog.toString().strip().lines().toList();
            lines.subList(0, lines.size() - 1).forEach(out::println);
        }
        out.println("# status of QuantizationJob " + outcome.job().getMetadata().getName()
                + " (as the operator would record it)");
        out.print(Yaml.MAPPER.writeValueAsString(Map.of("status", outcome.status())));
        out.flush();
        return outcome.succeeded() ? 0 : ErrorReporter.USER_ERROR;
    }
}
