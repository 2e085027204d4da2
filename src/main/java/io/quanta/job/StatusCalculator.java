package io.quanta.job;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.quanta.operator.api.Phase;
import io.quanta.operator.api.QuantizationJob;
import io.quanta.operator.api.QuantizationJobStatus;
import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Turns a {@link RunState} into the status to record. Pure: the previous status and the clock are arguments. */
public final class StatusCalculator {

    private StatusCalculator() {}

    public static QuantizationJobStatus next(QuantizationJob qj, String jobName, RunState state, Instant now) {
        long generation = JobNames.generation(qj);
        QuantizationJobStatus previous = qj.getStatus();
        RunState judged = applyAcceptance(qj, state);

        QuantizationJobStatus s = new QuantizationJobStatus();
        s.phase = judged.phase();
        s.observedGeneration = generation;
        s.jobName = jobName;
        s.message = judged.message();
        s.startTime = judged.startTime();
        s.completionTime = judged.completionTime() != null
                ? judged.completionTime()
                : judged.phase().terminal() ? timestamp(now) : null;
        RunResult result = judged.result();
        if (result != null) {
            copyResult(result, s);
        }
        List<Condition> previousConditions =
                previous == null || previous.conditions == null ? List.of() : previous.conditions;
        s.conditions = conditions(qj, judged, generation, previousConditions, now);
        return s;
    }

    /** A succeeded run whose accuracy drop exceeds the threshold is a failed QuantizationJob. */
    static RunState applyAcceptance(QuantizationJob qj, RunState state) {
        Double threshold = qj.getSpec().acceptance == null ? null : qj.getSpec().acceptance.maxAccuracyDrop;
        if (state.phase() != Phase.Succeeded || threshold == null) {
            return state;
        }
        RunResult.Accuracy accuracy =
                state.result() == null ? null : state.result().accuracy();
        if (accuracy == null) {
            return new RunState(
                    Phase.Failed,
                    "NotEvaluated",
                    "an acceptance threshold is set but the engine " + "reported no accuracy",
                    state.result(),
                    state.startTime(),
                    state.completionTime(),
                    false);
        }
        if (accuracy.drop() > threshold) {
            return new RunState(
                    Phase.Failed,
                    "AccuracyDropTooHigh",
                    String.format(
                            Locale.ROOT,
                            "accuracy drop %.4f exceeds spec.acceptance.maxAccuracyDrop %.4f (float %.4f, quantized %.4f)",
                            accuracy.drop(),
                            threshold,
                            accuracy.floatAccuracy(),
                            accuracy.quantizedAccuracy()),
                    state.result(),
                    state.startTime(),
                    state.completionTime(),
                    false);
        }
        return state;
    }

    private static List<Condition> conditions(
            QuantizationJob qj, RunState state, long generation, List<Condition> previous, Instant now) {
        List<Condition> conditions = new ArrayList<>();
        boolean ready = state.phase() == Phase.Succeeded;
        conditions.add(condition(
                ConditionTypes.READY,
                ready ? "True" : "False",
                state.reason(),
                state.message(),
                generation,
                previous,
                now));
        boolean terminal = state.phase().terminal();
        conditions.add(condition(
                ConditionTypes.RECONCILING,
                terminal ? "False" : "True",
                terminal ? state.phase().name() : state.reason(),
                terminal ? "the run ended: " + state.phase() : state.message(),
                generation,
                previous,
                now));
        boolean stalled = state.phase() == Phase.Failed;
        conditions.add(condition(
                ConditionTypes.STALLED,
                stalled ? "True" : "False",
                stalled ? state.reason() : state.phase().name(),
                stalled ? state.message() : "the run has not failed",
                generation,
                previous,
                now));
        conditions.add(stageCondition(ConditionTypes.CALIBRATED, Stage.CALIBRATE, state, generation, previous, now));
        conditions.add(stageCondition(ConditionTypes.QUANTIZED, Stage.QUANTIZE, state, generation, previous, now));
        if (qj.getSpec().evaluation == null) {
            conditions.add(condition(
                    ConditionTypes.EVALUATED,
                    "False",
                    "NoEvaluationDataset",
                    "spec.evaluation is not set",
                    generation,
                    previous,
                    now));
        } else {
            conditions.add(stageCondition(ConditionTypes.EVALUATED, Stage.EVALUATE, state, generation, previous, now));
        }
        conditions.add(accepted(qj, state, generation, previous, now));
        return conditions;
    }

    private static Condition stageCondition(
            String type, Stage stage, RunState state, long generation, List<Condition> previous, Instant now) {
        RunResult result = state.result();
        if (result != null && result.completed(stage)) {
            return condition(
                    type,
                    "True",
                    "Completed",
                    "stage " + stage.name().toLowerCase(Locale.ROOT) + " finished",
                    generation,
                    previous,
                    now);
        }
        if (result != null && result.failedStage() == stage) {
            return condition(type, "False", state.reason(), state.message(), generation, previous, now);
        }
        if (state.phase().terminal()) {
            return condition(type, "False", "NotReached", "the run ended before this stage", generation, previous, now);
        }
        return condition(type, "Unknown", "InProgress", "waiting for the engine", generation, previous, now);
    }

    private static Condition accepted(
            QuantizationJob qj, RunState state, long generation, List<Condition> previous, Instant now) {
        boolean thresholdSet = qj.getSpec().acceptance != null;
        return switch (state.phase()) {
            case Succeeded ->
                condition(
                        ConditionTypes.ACCEPTED,
                        "True",
                        thresholdSet ? "ThresholdMet" : "NoThreshold",
                        thresholdSet
                                ? acceptedMessage(qj.getSpec().acceptance, state.result())
                                : "no acceptance threshold set",
                        generation,
                        previous,
                        now);
            case Failed ->
                condition(ConditionTypes.ACCEPTED, "False", state.reason(), state.message(), generation, previous, now);
            default ->
                condition(
                        ConditionTypes.ACCEPTED,
                        "Unknown",
                        "InProgress",
                        "waiting for the engine",
                        generation,
                        previous,
                        now);
        };
    }

    /** The budget the Accepted condition names, with the search's outcome when the engine searched. */
    static String acceptedMessage(io.quanta.operator.api.Acceptance a, RunResult result) {
        String budget = JobSpecs.budget(a).describe();
        RunResult.Search search = result == null ? null : result.search();
        if (search == null || search.budget() == null) {
            return "budget met: " + budget;
        }
        return "budget met: " + budget + " after " + search.trials() + " trial(s), "
                + (search.keptFloat().isEmpty() ? "no op kept float" : "kept float " + search.keptFloat());
    }

    /** Builds a condition, keeping the previous lastTransitionTime when its status did not change. */
    static Condition condition(
            String type,
            String status,
            String reason,
            String message,
            long generation,
            List<Condition> previous,
            Instant now) {
        String transition = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(timestamp(now));
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                // Never empty: server-side apply sends YAML, where an empty message would arrive as null.
                .withMessage(message == null || message.isEmpty() ? reason : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build();
    }

    private static void copyResult(RunResult r, QuantizationJobStatus s) {
        if (r.output() != null) {
            s.output = new QuantizationJobStatus.OutputStatus();
            s.output.location = r.output().location();
            s.output.sizeBytes = r.output().sizeBytes();
            s.output.sha256 = r.output().sha256();
        }
        if (r.report() != null) {
            s.report = new QuantizationJobStatus.ReportStatus();
            s.report.html = r.report().html();
            s.report.htmlSha256 = r.report().htmlSha256();
            s.report.json = r.report().json();
        }
        if (r.sizes() != null) {
            s.sizes = new QuantizationJobStatus.SizesStatus();
            s.sizes.floatBytes = r.sizes().floatBytes();
            s.sizes.quantizedBytes = r.sizes().quantizedBytes();
            s.sizes.ratio = r.sizes().ratio();
        }
        if (r.coverage() != null) {
            s.coverage = new QuantizationJobStatus.CoverageStatus();
            s.coverage.totalOps = r.coverage().totalOps();
            s.coverage.quantizedOps = r.coverage().quantizedOps();
            s.coverage.floatOps = r.coverage().floatOps();
            s.coverage.unsupportedOps = r.coverage().unsupportedOps();
        }
        if (r.accuracy() != null) {
            s.accuracy = new QuantizationJobStatus.AccuracyStatus();
            s.accuracy.floatAccuracy = r.accuracy().floatAccuracy();
            s.accuracy.quantizedAccuracy = r.accuracy().quantizedAccuracy();
            s.accuracy.drop = r.accuracy().drop();
            s.accuracy.agreement = r.accuracy().agreement();
            s.accuracy.samples = r.accuracy().samples();
        }
        if (r.search() != null) {
            s.search = new QuantizationJobStatus.SearchStatus();
            s.search.calibration = r.search().calibration();
            s.search.budget = r.search().budget();
            s.search.budgetMet = r.search().budgetMet();
            s.search.keptFloat = r.search().keptFloat();
            s.search.nonInt8Ops = r.search().nonInt8Ops();
            s.search.trials = r.search().trials();
        }
        if (r.scales() != null) {
            RunResult.ScaleStats capped = r.scales().tensors().size() > RunResult.ScaleStats.MAX_TENSORS
                    ? new RunResult.ScaleStats(
                            r.scales().totalTensors(),
                            r.scales().tensors().subList(0, RunResult.ScaleStats.MAX_TENSORS))
                    : r.scales();
            s.scaleStats = new QuantizationJobStatus.ScaleStatsStatus();
            s.scaleStats.totalTensors = capped.totalTensors();
            s.scaleStats.truncated = capped.truncated();
            s.scaleStats.tensors =
                    capped.tensors().stream().map(StatusCalculator::tensor).toList();
        }
    }

    private static QuantizationJobStatus.TensorScaleStatus tensor(RunResult.TensorScale t) {
        QuantizationJobStatus.TensorScaleStatus out = new QuantizationJobStatus.TensorScaleStatus();
        out.name = t.name();
        out.kind = t.kind() == null ? null : t.kind().name();
        out.min = t.min();
        out.max = t.max();
        out.scale = t.scale();
        out.scaleMax = t.scaleMax();
        out.zeroPoint = t.zeroPoint();
        out.channels = t.channels();
        return out;
    }

    /** RFC 3339 in UTC, to the second, as Kubernetes writes times. */
    public static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
