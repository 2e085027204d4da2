package io.quanta.job;

import io.quanta.job.RunObservation.Ending;
import io.quanta.operator.api.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The phase model of a sharded run: what its Jobs show (one {@link RunObservation} per shard of each phase that has
 * Jobs) to the Jobs to create next and the state to report. Pure, like {@link RunClassifier}, which it applies to
 * each shard.
 *
 * <p>The current phase is the last planned phase with any Job: a phase's Jobs are created only once the one
 * before it finished, so the Jobs themselves record how far the run got, and a restarted operator (or one whose
 * status write was lost) carries on where the Jobs say. Shards whose Job is missing are (re)created: a shard writes
 * only its own file, so running it again is harmless.
 */
public final class ShardSchedule {

    private ShardSchedule() {}

    /**
     * Jobs to create: {@code shards} of {@code phase} (index 0 alone for a one-pod phase).
     *
     * @param phase  the phase
     * @param shards the shard indexes whose Job is missing, ascending
     */
    public record Launch(EnginePhase phase, List<Integer> shards) {
        public Launch {
            shards = List.copyOf(shards);
        }
    }

    /**
     * What to do now.
     *
     * @param launch   Jobs to create (empty while the current phase runs)
     * @param stop     a phase whose still-active Jobs are to be stopped (the run failed in it), or null
     * @param state    the run's state for the status
     * @param progress e.g. {@code calibration 3/4 shards}
     */
    public record Step(List<Launch> launch, EnginePhase stop, RunState state, String progress) {
        public Step {
            launch = List.copyOf(launch);
        }
    }

    /**
     * @param plan     the run's phases
     * @param observed per phase with Jobs: its shards' observations by shard index (a phase without Jobs is absent)
     */
    public static Step decide(ShardPlan plan, Map<EnginePhase, Map<Integer, RunObservation>> observed) {
        EnginePhase latest = null;
        for (EnginePhase p : plan.phases()) {
            if (observed.containsKey(p) && !observed.get(p).isEmpty()) {
                latest = p;
            }
        }
        final EnginePhase current = latest;
        String start = earliestStart(observed);
        if (current == null) {
            EnginePhase first = plan.phases().get(0);
            return new Step(
                    List.of(all(plan, first)),
                    null,
                    RunState.of(
                            Phase.Pending,
                            "JobCreated",
                            "created the " + ShardPlan.noun(first) + " Job of a run in " + plan.shards() + " shards"),
                    progress(plan, first, 0));
        }
        int pods = plan.podsOf(current);
        Map<Integer, RunState> states = new TreeMap<>();
        observed.get(current).forEach((i, o) -> {
            if (i >= 0 && i < pods) {
                states.put(i, shardState(current, o));
            }
        });
        List<Integer> missing = IntStream.range(0, pods)
                .filter(i -> !states.containsKey(i))
                .boxed()
                .toList();
        long done = states.values().stream()
                .filter(s -> s.phase() == Phase.Succeeded)
                .count();
        String progress = progress(plan, current, (int) done);

        Integer failed = firstFailure(states);
        if (failed != null) {
            RunState f = states.get(failed);
            List<Launch> cleanup = current == EnginePhase.PREPARE || plan.keepIntermediate()
                    ? List.of()
                    : List.of(new Launch(EnginePhase.CLEANUP, List.of(0)));
            String where = current.sharded()
                    ? ShardPlan.noun(current) + " shard " + failed + " (of " + pods + ")"
                    : ShardPlan.noun(current);
            RunState run = new RunState(
                    Phase.Failed,
                    f.reason(),
                    RunClassifier.truncate(where + " failed: " + f.message()),
                    f.result(),
                    start,
                    f.completionTime(),
                    false);
            return new Step(cleanup, current, run, progress);
        }

        if (missing.isEmpty() && done == pods) {
            if (current == EnginePhase.MERGE) {
                RunState merged = states.get(0);
                return new Step(List.of(), null, merged.withTimes(start, merged.completionTime()), progress);
            }
            EnginePhase next = plan.phases().get(plan.phases().indexOf(current) + 1);
            String p = progress(plan, next, 0);
            return new Step(
                    List.of(all(plan, next)), null, running(next, p, null).withTimes(start, null), p);
        }

        List<Launch> launch = missing.isEmpty() ? List.of() : List.of(new Launch(current, missing));
        RunState detail = states.entrySet().stream()
                .filter(e -> e.getValue().phase() != Phase.Succeeded)
                .filter(e -> !"EngineRunning".equals(e.getValue().reason()))
                .map(e -> withShard(current, e.getKey(), e.getValue()))
                .findFirst()
                .orElse(null);
        boolean started = done > 0
                || current != plan.phases().get(0)
                || states.values().stream().anyMatch(s -> s.phase() == Phase.Running);
        RunState state;
        if (!started && detail != null) {
            // Nothing ran yet: the first pod's own Pending reason (PodPending, Unschedulable) tells most.
            state = RunState.of(Phase.Pending, detail.reason(), progress + "; " + detail.message());
        } else if (!started) {
            state = RunState.of(Phase.Pending, "PodCreating", progress + "; creating its pod");
        } else {
            state = running(current, progress, detail);
        }
        return new Step(launch, null, state.withTimes(start, null), progress);
    }

    /**
     * One shard's state. A shard of an intermediate phase is done when its Job completed: only the merge reports the
     * run's result, the others need not write one.
     */
    static RunState shardState(EnginePhase phase, RunObservation o) {
        RunState s = RunClassifier.classify(o);
        if (phase != EnginePhase.MERGE
                && o.end() != null
                && o.end().ending() == Ending.COMPLETE
                && (s.phase() == Phase.Succeeded || "ResultMissing".equals(s.reason()))) {
            return new RunState(Phase.Succeeded, "Completed", "done", null, s.startTime(), s.completionTime(), false);
        }
        return s;
    }

    /**
     * The failed shard whose reason tells most: one the engine or the kubelet explained (not the Job controller's
     * generic PodFailed, which an Indexed Job also reports for the indexes it stopped), else the lowest index.
     */
    private static Integer firstFailure(Map<Integer, RunState> states) {
        Integer generic = null;
        for (var e : states.entrySet()) {
            if (e.getValue().phase() != Phase.Failed) {
                continue;
            }
            if (!"PodFailed".equals(e.getValue().reason())) {
                return e.getKey();
            }
            if (generic == null) {
                generic = e.getKey();
            }
        }
        return generic;
    }

    private static RunState running(EnginePhase phase, String progress, RunState detail) {
        String reason = switch (phase) {
            case ALL, PREPARE -> "Preparing";
            case CALIBRATE -> "Calibrating";
            case QUANTIZE -> "Quantizing";
            case EVALUATE -> "Evaluating";
            case MERGE -> "Merging";
            case CLEANUP -> "CleaningUp";
        };
        return RunState.of(Phase.Running, reason, detail == null ? progress : progress + "; " + detail.message());
    }

    private static RunState withShard(EnginePhase phase, int index, RunState s) {
        return phase.sharded() ? RunState.of(s.phase(), s.reason(), "shard " + index + ": " + s.message()) : s;
    }

    /** The status' progress: {@code calibration 3/4 shards}, or {@code quantization 0/1} for a one-pod phase. */
    public static String progress(ShardPlan plan, EnginePhase phase, int done) {
        int pods = plan.podsOf(phase);
        return ShardPlan.noun(phase) + " " + done + "/" + pods + (phase.sharded() ? " shards" : "");
    }

    private static Launch all(ShardPlan plan, EnginePhase phase) {
        return new Launch(phase, IntStream.range(0, plan.podsOf(phase)).boxed().toList());
    }

    private static String earliestStart(Map<EnginePhase, Map<Integer, RunObservation>> observed) {
        List<String> starts = new ArrayList<>();
        observed.values()
                .forEach(m -> m.values().stream()
                        .map(RunObservation::startTime)
                        .filter(Objects::nonNull)
                        .forEach(starts::add));
        // RFC 3339 in UTC sorts as text.
        return starts.stream().min(String::compareTo).orElse(null);
    }
}
