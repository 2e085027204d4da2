package io.quanta.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quanta.job.EnginePhase;
import io.quanta.job.JobNames;
import io.quanta.job.RunObservation;
import io.quanta.job.RunState;
import io.quanta.job.ShardPlan;
import io.quanta.job.ShardSchedule;
import io.quanta.job.StatusCalculator;
import io.quanta.job.WorkLocations;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.operator.dependent.EngineDefaults;
import io.quanta.operator.dependent.EngineJobBuilder;
import io.quanta.operator.dependent.EngineJobBuilder.PhaseJob;
import io.quanta.operator.dependent.JobLabels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link Reconciliation}'s part for a sharded run (spec.parallelism > 1): reads each phase's Jobs into shard
 * observations, lets {@link ShardSchedule} decide, and renders the Jobs it asks for. Pure.
 */
final class ShardedReconciliation {

    private ShardedReconciliation() {}

    static Decision decide(
            QuantizationJob qj,
            Collection<Job> ownedJobs,
            Collection<Pod> pods,
            Function<Pod, Optional<String>> logReader,
            EngineDefaults defaults,
            boolean indexedJobs,
            List<String> staleJobs,
            Instant now) {
        String run = JobNames.jobName(qj);
        List<Job> runJobs = ownedJobs.stream()
                .filter(j -> run.equals(Reconciliation.runKey(j)))
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                .toList();
        QuantizationJobStatus recorded = qj.getStatus();
        List<String> toDelete = new ArrayList<>(staleJobs);

        Optional<Job> suspended = runJobs.stream()
                .filter(j -> Reconciliation.suspended(j)
                        && Reconciliation.podsOf(j, pods).isEmpty())
                .findFirst();
        if (suspended.isPresent()) {
            RunState waiting = RunState.of(
                    Phase.Queued,
                    "QueuedInKueue",
                    "Job " + suspended.get().getMetadata().getName() + " is suspended until Kueue admits it (queue "
                            + qj.getSpec().queueName + ")");
            return Reconciliation.withEvent(
                    recorded, Optional.empty(), toDelete, status(qj, run, waiting, null, now), List.of());
        }

        ShardPlan plan = ShardPlan.of(qj.getSpec());
        // An ended Job whose pod the cache has not delivered yet: its termination message decides, so wait for it.
        for (Job job : runJobs) {
            Optional<RunState> awaited = Reconciliation.podNotYetSeen(job, Reconciliation.podsOf(job, pods), now);
            if (awaited.isPresent()) {
                String progress = recorded == null ? null : recorded.progress;
                return Reconciliation.withEvent(
                        recorded, Optional.empty(), toDelete, status(qj, run, awaited.get(), progress, now), List.of());
            }
        }
        ShardSchedule.Step step = ShardSchedule.decide(plan, observe(runJobs, pods, logReader));
        Set<String> existing =
                runJobs.stream().map(j -> j.getMetadata().getName()).collect(Collectors.toSet());
        String workLocation = workLocation(qj);
        List<Job> create = new ArrayList<>();
        for (ShardSchedule.Launch launch : step.launch()) {
            for (PhaseJob p : PhaseJob.of(launch.phase(), plan.shards(), launch.shards(), indexedJobs, workLocation)) {
                Job job = EngineJobBuilder.build(qj, defaults, p);
                if (!existing.contains(job.getMetadata().getName())) {
                    create.add(job);
                }
            }
        }
        if (step.stop() != null) {
            runJobs.stream()
                    .filter(j -> step.stop().label().equals(label(j, JobLabels.PHASE)))
                    .filter(Reconciliation::isActive)
                    .map(j -> j.getMetadata().getName())
                    .forEach(toDelete::add);
        }
        QuantizationJobStatus next = status(qj, run, step.state(), step.progress(), now);
        // The run's first Job waits for the queue's admission; the later ones belong to a run already admitted.
        if (runJobs.isEmpty() && !create.isEmpty()) {
            return Reconciliation.withEvent(
                    recorded, Optional.of(create.get(0)), toDelete, next, create.subList(1, create.size()));
        }
        return Reconciliation.withEvent(recorded, Optional.empty(), toDelete, next, create);
    }

    /** The run's work location: {@code <output>.work/<uid>/}, on the output's storage (the engine's default). */
    static String workLocation(QuantizationJob qj) {
        return WorkLocations.defaultFor(
                qj.getSpec().output.uri, qj.getMetadata().getUid());
    }

    private static QuantizationJobStatus status(
            QuantizationJob qj, String run, RunState state, String progress, Instant now) {
        QuantizationJobStatus s = StatusCalculator.next(qj, run, state, now);
        s.progress = progress;
        return s;
    }

    /** Per phase with Jobs, its shards' observations by shard index (a one-pod phase is shard 0). */
    static Map<EnginePhase, Map<Integer, RunObservation>> observe(
            List<Job> runJobs, Collection<Pod> pods, Function<Pod, Optional<String>> logReader) {
        Map<EnginePhase, Map<Integer, RunObservation>> observed = new EnumMap<>(EnginePhase.class);
        for (Job job : runJobs) {
            EnginePhase phase = phaseOf(job);
            if (phase == null || phase == EnginePhase.ALL || phase == EnginePhase.CLEANUP) {
                continue;
            }
            Map<Integer, RunObservation> shards = observed.computeIfAbsent(phase, p -> new TreeMap<>());
            List<Pod> jobPods = Reconciliation.podsOf(job, pods);
            String shard = label(job, JobLabels.SHARD);
            if (shard != null) {
                shards.put(Integer.parseInt(shard), JobObservations.observe(job, jobPods, logReader));
            } else if ("Indexed".equals(job.getSpec().getCompletionMode())) {
                int completions = job.getSpec().getCompletions() == null
                        ? 1
                        : job.getSpec().getCompletions();
                for (int i = 0; i < completions; i++) {
                    String index = Integer.toString(i);
                    List<Pod> indexPods = jobPods.stream()
                            .filter(p -> p.getMetadata().getAnnotations() != null
                                    && index.equals(
                                            p.getMetadata().getAnnotations().get(JobLabels.COMPLETION_INDEX)))
                            .toList();
                    shards.put(i, JobObservations.observeIndex(job, i, indexPods, logReader));
                }
            } else {
                shards.put(0, JobObservations.observe(job, jobPods, logReader));
            }
        }
        return observed;
    }

    /** The phase a Job runs (its label); null for one that is not a phase of a sharded run. */
    private static EnginePhase phaseOf(Job job) {
        String value = label(job, JobLabels.PHASE);
        if (value == null) {
            return null;
        }
        try {
            return EnginePhase.parse(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String label(Job job, String key) {
        Map<String, String> labels = job.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }
}
