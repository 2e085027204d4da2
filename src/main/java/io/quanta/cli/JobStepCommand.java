package io.quanta.cli;

import io.quanta.job.EngineContract;
import io.quanta.job.JobRunner;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code quanta job step}: the engine pod's entry point (docs/operator.md, "Operator ↔ engine contract"). Reads the
 * spec from {@code QUANTA_JOB_SPEC}, runs it, writes the compact result to {@code QUANTA_RESULT_FILE} (the
 * termination message) and prints the full result as the last stdout line. Writes only under /tmp (the pod's root
 * filesystem is read-only) and to the output locations. Exit 0 on success; 2 when the engine reports a failure
 * (bad model, unquantizable op, dataset problem); 1 for an internal error.
 */
@Command(
        name = "step",
        mixinStandardHelpOptions = true,
        description = {
            "Run the QuantizationJob in QUANTA_JOB_SPEC as the operator's engine pod does: the compact "
                    + "result goes to QUANTA_RESULT_FILE, the full one to the last stdout line (QUANTA-RESULT {...}).",
            "QUANTA_SECRETS_DIR (default /var/run/secrets/quanta) holds one folder per referenced Secret; "
                    + "QUANTA_WORK_DIR (default /tmp) the download cache and staging files.",
            "A sharded run: QUANTA_PHASE (all, prepare, calibrate, quantize, evaluate, merge, cleanup), "
                    + "QUANTA_SHARD_COUNT, QUANTA_SHARD_INDEX (else JOB_COMPLETION_INDEX) and QUANTA_WORK_LOCATION "
                    + "(see docs/operator.md)."
        })
public final class JobStepCommand implements Callable<Integer> {
    @ParentCommand
    JobCommand job;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, String> env = job.main.environment();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String name = env.getOrDefault(EngineContract.ENV_NAME, "(unnamed)");
        out.println("quanta job step: " + env.getOrDefault(EngineContract.ENV_NAMESPACE, "default") + "/" + name
                + " generation " + env.getOrDefault(EngineContract.ENV_GENERATION, "?")
                + phaseNote(env));
        out.flush();

        JobRunner.Finished finished;
        StageProgress listener = new StageProgress(err, "step", false, false);
        try {
            finished = JobRunner.inPod(env).step(listener);
        } finally {
            listener.close();
        }
        return report(finished, env.get(EngineContract.ENV_RESULT_FILE), out, err);
    }

    /** ", phase calibrate, shard 1 of 3" for a phase of a sharded run; empty for a whole run. */
    private static String phaseNote(Map<String, String> env) {
        String phase = env.get(EngineContract.ENV_PHASE);
        if (phase == null || phase.isBlank() || phase.strip().equalsIgnoreCase("all")) {
            return "";
        }
        String index = env.getOrDefault(
                EngineContract.ENV_SHARD_INDEX, env.getOrDefault(EngineContract.ENV_JOB_COMPLETION_INDEX, "0"));
        return ", phase " + phase.strip() + ", shard " + index + " of "
                + env.getOrDefault(EngineContract.ENV_SHARD_COUNT, "1");
    }

    /** Prints the summary, writes the termination message, ends stdout with the result line; the exit code. */
    static int report(JobRunner.Finished finished, String resultFile, PrintWriter out, PrintWriter err) {
        RunResult result = finished.result();
        if (finished.outcome() != null) {
            ReportText.print(
                    out,
                    finished.outcome().report(),
                    finished.outcome().reportObject().location());
            out.println("  page        " + finished.outcome().reportPage().location());
            out.println("  sha256      " + finished.outcome().model().sha256());
        } else if (result.succeeded()) {
            out.println(result.message()); // a phase of a sharded run: what it did
        } else {
            ErrorReporter.report(err, result.errorCode() + ": " + result.message(), null);
        }
        int code = finished.exitCode();
        if (resultFile != null && !resultFile.isBlank()) {
            try {
                Files.writeString(
                        Path.of(resultFile), ResultCodec.toTerminationMessage(result), StandardCharsets.UTF_8);
            } catch (IOException e) {
                // The log line below still carries the result; the operator falls back to it.
                ErrorReporter.report(err, "cannot write the result to " + resultFile + ": " + e.getMessage(), null);
            }
        }
        err.flush();
        out.println(ResultCodec.toLogLine(result));
        out.flush();
        return code;
    }
}
