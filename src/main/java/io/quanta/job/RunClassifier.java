package io.quanta.job;

import io.quanta.job.RunObservation.Attempt;
import io.quanta.job.RunObservation.End;
import io.quanta.job.RunObservation.Ending;
import io.quanta.job.RunObservation.Engine;
import io.quanta.job.RunObservation.Terminated;
import io.quanta.operator.api.Phase;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import java.util.Optional;
import java.util.Set;

/**
 * Reduces an observed engine run to a {@link RunState}. Pure: reads only its argument (the engine's full result
 * log line is read through the attempt's {@code resultLog} when a success carries scale statistics).
 */
public final class RunClassifier {

    /** Waiting reasons after which an image will not appear by itself: the run is failed at once. */
    static final Set<String> IMAGE_PULL_FAILURES =
            Set.of("ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName");

    private static final int MAX_MESSAGE = 1024;

    private RunClassifier() {}

    public static RunState classify(RunObservation run) {
        End end = run.end();
        Attempt latest = run.attempt();
        String startTime = run.startTime();

        if (end != null && end.ending() != Ending.DEADLINE_EXCEEDED && latest != null && outcomeNotYetSeen(latest)) {
            // The Job informer can be ahead of the pod informer: the Job already ended, but the pod we hold still
            // shows a running container without its termination message. A final status is never reopened, so
            // wait for the pod's update (it triggers the next reconciliation) instead of guessing the outcome.
            return RunState.of(
                            Phase.Running,
                            "EngineFinishing",
                            "Job " + run.jobName() + " ended; waiting for pod " + latest.name()
                                    + " to report its result")
                    .withTimes(startTime, null);
        }
        if (end != null) {
            RunState state = end.ending() != Ending.COMPLETE
                    ? failed(run, end, latest)
                    : latest == null ? podGone(run) : succeeded(latest);
            return state.withTimes(startTime, end.time());
        }
        if (latest == null) {
            return RunState.of(Phase.Pending, "PodCreating", "Job " + run.jobName() + " is creating its pod")
                    .withTimes(startTime, null);
        }
        return active(latest).withTimes(startTime, null);
    }

    /** The Job completed but no pod of it is left: the result was in that pod's termination message. */
    private static RunState podGone(RunObservation run) {
        return RunState.of(
                Phase.Failed,
                "ResultMissing",
                "Job " + run.jobName() + " completed but its engine pod is gone, so its result cannot be read");
    }

    private static RunState succeeded(Attempt attempt) {
        Optional<RunResult> compact = Optional.ofNullable(attempt).flatMap(RunClassifier::terminationResult);
        if (compact.isEmpty()) {
            return RunState.of(
                    Phase.Failed,
                    "ResultMissing",
                    "the engine exited successfully but wrote no result to " + EngineContract.RESULT_FILE);
        }
        RunResult result = compact.get();
        if (!result.succeeded()) {
            return engineFailure(result);
        }
        if (result.scales() != null && result.scales().totalTensors() > 0) {
            // The termination message has no room for scale statistics; the result log line carries them.
            Optional<RunResult> full = attempt.resultLog().get().flatMap(ResultCodec::parseLog);
            if (full.isPresent() && full.get().scales() != null) {
                result = result.withScales(full.get().scales());
            }
        }
        return new RunState(Phase.Succeeded, "Completed", summary(result), result, null, null, false);
    }

    private static RunState failed(RunObservation run, End end, Attempt latest) {
        if (end.ending() == Ending.DEADLINE_EXCEEDED) {
            Long deadline = end.activeDeadlineSeconds();
            return RunState.of(
                    Phase.Failed,
                    "DeadlineExceeded",
                    "the run exceeded activeDeadlineSeconds" + (deadline == null ? "" : "=" + deadline)
                            + " and was stopped");
        }
        if (latest != null && evicted(latest)) {
            return eviction(latest);
        }
        Terminated terminated = latest == null ? null : terminated(latest);
        if (terminated != null) {
            return podFailure(terminated);
        }
        String message = end.message() != null ? end.message() : "Job " + run.jobName() + " failed";
        return RunState.of(Phase.Failed, "PodFailed", message);
    }

    private static RunState active(Attempt pod) {
        Engine engine = pod.engine();
        String waiting = engine == null ? null : engine.waitingReason();
        if (waiting != null && IMAGE_PULL_FAILURES.contains(waiting)) {
            return RunState.of(
                            Phase.Failed,
                            "ImagePullFailed",
                            "cannot pull engine image " + engine.image() + ": " + waiting
                                    + (engine.waitingMessage() == null ? "" : " (" + engine.waitingMessage() + ")"))
                    .stoppingJob();
        }
        if (engine != null && engine.running()) {
            return RunState.of(Phase.Running, "EngineRunning", "engine pod " + pod.name() + " is running");
        }
        Terminated terminated = terminated(pod);
        if (terminated != null && pod.sidecarsRunning()) {
            // The engine is done but a sidecar keeps the pod, and with it the Job, running: the engine's own
            // outcome is the run's, and stopping the Job ends the sidecar.
            boolean ok = Integer.valueOf(0).equals(terminated.exitCode());
            return (ok ? succeeded(pod) : podFailure(terminated)).stoppingJob();
        }
        if (evicted(pod)) {
            RunState attempt = eviction(pod);
            return RunState.of(
                    Phase.Running,
                    "Retrying",
                    "attempt in pod " + pod.name() + " failed (" + attempt.reason() + ": " + attempt.message()
                            + "); the Job retries");
        }
        if (terminated != null && !Integer.valueOf(0).equals(terminated.exitCode())) {
            RunState attempt = podFailure(terminated);
            return RunState.of(
                    Phase.Running,
                    "Retrying",
                    "attempt in pod " + pod.name() + " failed (" + attempt.reason() + ": " + attempt.message()
                            + "); the Job retries");
        }
        if (pod.unschedulable() != null) {
            return RunState.of(
                    Phase.Pending,
                    "Unschedulable",
                    "engine pod " + pod.name() + " cannot be scheduled: " + truncate(pod.unschedulable()));
        }
        String detail = waiting != null ? waiting : pod.phase() == null ? "Pending" : pod.phase();
        return RunState.of(Phase.Pending, "PodPending", "engine pod " + pod.name() + " is " + detail);
    }

    private static boolean evicted(Attempt pod) {
        return "Evicted".equals(pod.podReason());
    }

    /** The kubelet evicted the pod (node pressure, or the pod's own ephemeral-storage limit, e.g. a full /tmp). */
    private static RunState eviction(Attempt pod) {
        return RunState.of(
                Phase.Failed,
                "Evicted",
                "engine pod " + pod.name() + " was evicted"
                        + (pod.podMessage() == null
                                ? ""
                                : ": " + truncate(pod.podMessage().strip())));
    }

    /** Why a terminated engine container failed: the kernel's OOM killer, an engine error, or a crash. */
    private static RunState podFailure(Terminated terminated) {
        if ("OOMKilled".equals(terminated.reason())) {
            return RunState.of(
                    Phase.Failed,
                    "OOMKilled",
                    "the engine container ran out of memory (killed at its memory limit); raise spec.resources");
        }
        Optional<RunResult> result = ResultCodec.parseTerminationMessage(terminated.message());
        if (result.isPresent() && !result.get().succeeded()) {
            return engineFailure(result.get());
        }
        String tail = terminated.message() == null || terminated.message().isBlank()
                ? ""
                : ": " + truncate(terminated.message().strip());
        return RunState.of(Phase.Failed, "PodFailed", "the engine exited with code " + terminated.exitCode() + tail);
    }

    private static RunState engineFailure(RunResult result) {
        String reason = result.errorCode() != null && result.errorCode().matches("[A-Z][A-Za-z0-9]{0,63}")
                ? result.errorCode()
                : "EngineError";
        String message = result.message() == null ? "the engine reported a failure" : result.message();
        return new RunState(Phase.Failed, reason, truncate(message), result, null, null, false);
    }

    private static String summary(RunResult r) {
        StringBuilder s = new StringBuilder("quantized");
        if (r.coverage() != null) {
            s.append(' ')
                    .append(r.coverage().quantizedOps())
                    .append('/')
                    .append(r.coverage().totalOps())
                    .append(" ops");
        }
        if (r.sizes() != null) {
            s.append(String.format(
                    java.util.Locale.ROOT, ", size ratio %.3f", r.sizes().ratio()));
        }
        if (r.accuracy() != null) {
            s.append(String.format(
                    java.util.Locale.ROOT,
                    ", accuracy drop %.4f on %d samples",
                    r.accuracy().drop(),
                    r.accuracy().samples()));
        }
        return s.toString();
    }

    /** An attempt that is not finished in our view: no terminated engine container and no terminal pod phase. */
    private static boolean outcomeNotYetSeen(Attempt pod) {
        return terminated(pod) == null && !"Succeeded".equals(pod.phase()) && !"Failed".equals(pod.phase());
    }

    /** The result in the attempt's termination message, if it wrote one. */
    private static Optional<RunResult> terminationResult(Attempt pod) {
        return Optional.ofNullable(terminated(pod)).flatMap(t -> ResultCodec.parseTerminationMessage(t.message()));
    }

    private static Terminated terminated(Attempt pod) {
        return pod.engine() == null ? null : pod.engine().terminated();
    }

    static String truncate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
