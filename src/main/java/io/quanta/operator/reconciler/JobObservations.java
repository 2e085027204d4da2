package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.quanta.job.EngineContract;
import io.quanta.job.RunObservation;
import io.quanta.job.RunObservation.Ending;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a {@link RunObservation} off an engine Job and its pods: the cluster's side of the input that
 * {@link io.quanta.job.RunClassifier} decides on. Pure; the pod log is read only when the classifier asks.
 */
public final class JobObservations {

    private JobObservations() {}

    public static RunObservation observe(Job job, List<Pod> pods, Function<Pod, Optional<String>> logReader) {
        Optional<Pod> latest = pods.stream().max(Comparator.comparing(JobObservations::creation));
        String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();
        return new RunObservation(
                name(job),
                startTime,
                end(job),
                latest.map(pod -> attempt(pod, logReader)).orElse(null));
    }

    /**
     * One index of an Indexed Job, as if it were a Job of its own: its latest pod, complete once the Job lists it in
     * completedIndexes, failed when the whole Job failed without it.
     *
     * @param indexPods the Job's pods of this index
     */
    public static RunObservation observeIndex(
            Job job, int index, List<Pod> indexPods, Function<Pod, Optional<String>> logReader) {
        Optional<Pod> latest = indexPods.stream().max(Comparator.comparing(JobObservations::creation));
        String startTime = job.getStatus() == null ? null : job.getStatus().getStartTime();
        String completed = job.getStatus() == null ? null : job.getStatus().getCompletedIndexes();
        RunObservation.End end;
        if (completedIndexes(completed).contains(index)) {
            String time = job.getStatus().getCompletionTime();
            end = new RunObservation.End(Ending.COMPLETE, time, null, deadline(job));
        } else {
            RunObservation.End whole = end(job);
            end = whole != null && whole.ending() != Ending.COMPLETE ? whole : null;
        }
        return new RunObservation(
                name(job) + "[" + index + "]",
                startTime,
                end,
                latest.map(pod -> attempt(pod, logReader)).orElse(null));
    }

    /** The indexes in an Indexed Job's completedIndexes, e.g. {@code 1,3-5}; empty for null or blank. */
    public static java.util.Set<Integer> completedIndexes(String ranges) {
        java.util.Set<Integer> out = new java.util.TreeSet<>();
        if (ranges == null || ranges.isBlank()) {
            return out;
        }
        for (String part : ranges.split(",")) {
            String p = part.strip();
            int dash = p.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                // The Job controller writes this field; a part it never writes is skipped, not fatal.
            }
        }
        return out;
    }

    private static RunObservation.End end(Job job) {
        Optional<JobCondition> complete = condition(job, "Complete");
        if (complete.isPresent()) {
            String end = job.getStatus().getCompletionTime() != null
                    ? job.getStatus().getCompletionTime()
                    : complete.get().getLastTransitionTime();
            return new RunObservation.End(Ending.COMPLETE, end, complete.get().getMessage(), deadline(job));
        }
        Optional<JobCondition> failed = condition(job, "Failed");
        if (failed.isPresent()) {
            Ending ending =
                    "DeadlineExceeded".equals(failed.get().getReason()) ? Ending.DEADLINE_EXCEEDED : Ending.FAILED;
            return new RunObservation.End(
                    ending, failed.get().getLastTransitionTime(), failed.get().getMessage(), deadline(job));
        }
        return null;
    }

    private static RunObservation.Attempt attempt(Pod pod, Function<Pod, Optional<String>> logReader) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        RunObservation.Engine engine =
                engineStatus(pod).map(JobObservations::engine).orElse(null);
        PodStatus status = pod.getStatus();
        String unschedulable = status == null || status.getConditions() == null
                ? null
                : status.getConditions().stream()
                        .filter(c -> "PodScheduled".equals(c.getType())
                                && "False".equals(c.getStatus())
                                && "Unschedulable".equals(c.getReason()))
                        .map(c -> c.getMessage() == null ? "no node fits" : c.getMessage())
                        .findFirst()
                        .orElse(null);
        // Only the engine decides the run; a sidecar (e.g. Istio's proxy) that still runs only keeps the pod up.
        boolean sidecarsRunning = status != null
                && status.getContainerStatuses() != null
                && status.getContainerStatuses().stream()
                        .anyMatch(s -> !EngineContract.CONTAINER.equals(s.getName())
                                && s.getState() != null
                                && s.getState().getRunning() != null);
        return new RunObservation.Attempt(
                name(pod),
                phase,
                engine,
                () -> logReader.apply(pod),
                status == null ? null : status.getReason(),
                status == null ? null : status.getMessage(),
                unschedulable,
                sidecarsRunning);
    }

    private static RunObservation.Engine engine(ContainerStatus s) {
        ContainerStateWaiting waiting =
                s.getState() == null ? null : s.getState().getWaiting();
        boolean running = s.getState() != null && s.getState().getRunning() != null;
        ContainerStateTerminated t = s.getState() != null && s.getState().getTerminated() != null
                ? s.getState().getTerminated()
                : s.getLastState() == null ? null : s.getLastState().getTerminated();
        return new RunObservation.Engine(
                s.getImage(),
                waiting == null ? null : waiting.getReason(),
                waiting == null ? null : waiting.getMessage(),
                running,
                t == null ? null : new RunObservation.Terminated(t.getExitCode(), t.getReason(), t.getMessage()));
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

    private static Long deadline(Job job) {
        return job.getSpec() == null ? null : job.getSpec().getActiveDeadlineSeconds();
    }

    private static String creation(Pod pod) {
        String ts = pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp();
        return ts == null ? "" : ts;
    }

    private static String name(HasMetadata resource) {
        return resource.getMetadata().getName();
    }
}
