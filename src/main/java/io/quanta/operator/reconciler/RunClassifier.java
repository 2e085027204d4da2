package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.quanta.operator.api.Phase;
import io.quanta.operator.dependent.EngineContract;
import io.quanta.report.ResultCodec;
import io.quanta.report.RunResult;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reduces an engine Job and its pods to a {@link RunState}. Pure: reads only its arguments; the engine's full
 * result log line is supplied by {@code logReader} (the reconciler reads the pod log; tests pass a lambda).
 */
public final class RunClassifier {

    /** Waiting reasons after which an image will not appear by itself: the run is failed at once. */
    static final Set<String> IMAGE_PULL_FAILURES =
            Set.of("ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName");

    private static final int MAX_MESSAGE = 1024;

    private RunClassifier() {}

    public static RunState classify(Job job, List<Pod> pods, Function<Pod, Optional<String>> logReader) {
        Optional<Pod> latest = pods.stream().max(Comparator.comparing(RunClassifier::creation));
        String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();
        Optional<JobCondition> complete = condition(job, "Complete");
        Optional<JobCondition> failed = condition(job, "Failed");

        if ((complete.isPresent() || failed.isPresent()) && !failed.map(c -> "DeadlineExceeded".equals(c.getReason()))
                .orElse(false) && latest.isPresent() && outcomeNotYetSeen(latest.get())) {
            // The Job informer can be ahead of the pod informer: the Job already ended, but the pod we hold still
            // shows a running container without its termination message. A final status is never reopened, so
            // wait for the pod's update (it triggers the next reconciliation) instead of guessing the outcome.
            return RunState.of(Phase.Running, "EngineFinishing", "Job " + name(job) + " ended; waiting for pod "
                    + name(latest.get()) + " to report its result").withTimes(startTime, null);
        }
        if (complete.isPresent()) {
            String end = firstNonNull(job.getStatus().getCompletionTime(), complete.get().getLastTransitionTime());
            return succeeded(latest, logReader).withTimes(startTime, end);
        }
        if (failed.isPresent()) {
            return jobFailed(job, failed.get(), latest).withTimes(startTime, failed.get().getLastTransitionTime());
        }
        if (latest.isEmpty()) {
            return RunState.of(Phase.Pending, "PodCreating", "Job " + name(job) + " is creating its pod")
                    .withTimes(startTime, null);
        }
        return active(job, latest.get()).withTimes(startTime, null);
    }

    private static RunState succeeded(Optional<Pod> pod, Function<Pod, Optional<String>> logReader) {
        Optional<RunResult> compact = pod.flatMap(RunClassifier::terminationResult);
        if (compact.isEmpty()) {
            return RunState.of(Phase.Failed, "ResultMissing",
                    "the engine exited successfully but wrote no result to " + EngineContract.RESULT_FILE);
        }
        RunResult result = compact.get();
        if (!result.succeeded()) {
            return engineFailure(result);
        }
        if (result.scales() != null && result.scales().totalTensors() > 0) {
            // The termination message has no room for scale statistics; the result log line carries them.
            Optional<RunResult> full = logReader.apply(pod.get()).flatMap(ResultCodec::parseLog);
            if (full.isPresent() && full.get().scales() != null) {
                result = result.withScales(full.get().scales());
            }
        }
        return new RunState(Phase.Succeeded, "Completed", summary(result), result, null, null, false);
    }

    private static RunState jobFailed(Job job, JobCondition failed, Optional<Pod> latest) {
        if ("DeadlineExceeded".equals(failed.getReason())) {
            Long deadline = job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
            return RunState.of(Phase.Failed, "DeadlineExceeded", "the run exceeded activeDeadlineSeconds"
                    + (deadline == null ? "" : "=" + deadline) + " and was stopped");
        }
        Optional<ContainerStateTerminated> terminated = latest.flatMap(RunClassifier::engineTerminated);
        if (terminated.isPresent()) {
            return podFailure(terminated.get());
        }
        String message = failed.getMessage() != null ? failed.getMessage() : "Job " + name(job) + " failed";
        return RunState.of(Phase.Failed, "PodFailed", message);
    }

    private static RunState active(Job job, Pod pod) {
        Optional<ContainerStatus> engine = engineStatus(pod);
        ContainerStateWaiting waiting = engine.map(s -> s.getState() == null ? null : s.getState().getWaiting())
                .orElse(null);
        if (waiting != null && IMAGE_PULL_FAILURES.contains(waiting.getReason())) {
            String image = engine.get().getImage();
            return RunState.of(Phase.Failed, "ImagePullFailed", "cannot pull engine image " + image + ": "
                    + waiting.getReason() + (waiting.getMessage() == null ? "" : " (" + waiting.getMessage() + ")"))
                    .stoppingJob();
        }
        if (engine.isPresent() && engine.get().getState() != null
                && engine.get().getState().getRunning() != null) {
            return RunState.of(Phase.Running, "EngineRunning", "engine pod " + name(pod) + " is running");
        }
        Optional<ContainerStateTerminated> terminated = engineTerminated(pod);
        if (terminated.isPresent() && !Integer.valueOf(0).equals(terminated.get().getExitCode())) {
            RunState attempt = podFailure(terminated.get());
            return RunState.of(Phase.Running, "Retrying", "attempt in pod " + name(pod) + " failed ("
                    + attempt.reason() + ": " + attempt.message() + "); the Job retries");
        }
        String detail = waiting != null && waiting.getReason() != null ? waiting.getReason()
                : pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
        return RunState.of(Phase.Pending, "PodPending", "engine pod " + name(pod) + " is " + detail);
    }

    /** Why a terminated engine container failed: the kernel's OOM killer, an engine error, or a crash. */
    private static RunState podFailure(ContainerStateTerminated terminated) {
        if ("OOMKilled".equals(terminated.getReason())) {
            return RunState.of(Phase.Failed, "OOMKilled",
                    "the engine container ran out of memory (killed at its memory limit); raise spec.resources");
        }
        Optional<RunResult> result = ResultCodec.parseTerminationMessage(terminated.getMessage());
        if (result.isPresent() && !result.get().succeeded()) {
            return engineFailure(result.get());
        }
        String tail = terminated.getMessage() == null || terminated.getMessage().isBlank() ? ""
                : ": " + truncate(terminated.getMessage().strip());
        return RunState.of(Phase.Failed, "PodFailed",
                "the engine exited with code " + terminated.getExitCode() + tail);
    }

    private static RunState engineFailure(RunResult result) {
        String reason = result.errorCode() != null && result.errorCode().matches("[A-Z][A-Za-z0-9]{0,63}")
                ? result.errorCode() : "EngineError";
        String message = result.message() == null ? "the engine reported a failure" : result.message();
        return new RunState(Phase.Failed, reason, truncate(message), result, null, null, false);
    }

    private static String summary(RunResult r) {
        StringBuilder s = new StringBuilder("quantized");
        if (r.coverage() != null) {
            s.append(' ').append(r.coverage().quantizedOps()).append('/').append(r.coverage().totalOps())
                    .append(" ops");
        }
        if (r.sizes() != null) {
            s.append(String.format(java.util.Locale.ROOT, ", size ratio %.3f", r.sizes().ratio()));
        }
        if (r.accuracy() != null) {
            s.append(String.format(java.util.Locale.ROOT, ", accuracy drop %.4f on %d samples",
                    r.accuracy().drop(), r.accuracy().samples()));
        }
        return s.toString();
    }

    /** A pod that is not finished in our view: no terminated engine container and no terminal pod phase. */
    private static boolean outcomeNotYetSeen(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return engineTerminated(pod).isEmpty() && !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    static Optional<RunResult> terminationResult(Pod pod) {
        return engineTerminated(pod).flatMap(t -> ResultCodec.parseTerminationMessage(t.getMessage()));
    }

    private static Optional<ContainerStateTerminated> engineTerminated(Pod pod) {
        return engineStatus(pod).map(s -> s.getState() == null ? null : s.getState().getTerminated())
                .or(() -> engineStatus(pod).map(s -> s.getLastState() == null ? null
                        : s.getLastState().getTerminated()));
    }

    private static Optional<ContainerStatus> engineStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(s -> EngineContract.CONTAINER.equals(s.getName()))
                .findFirst();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
                .findFirst();
    }

    private static String creation(Pod pod) {
        String ts = pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp();
        return ts == null ? "" : ts;
    }

    private static String name(io.fabric8.kubernetes.api.model.HasMetadata resource) {
        return resource.getMetadata().getName();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    static String truncate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
    }
}
