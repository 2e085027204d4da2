package io.quanta.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The outcome of one quantization run, as the engine reports it to whoever started it (the operator reads it from
 * the engine pod; the CLI prints it). Every field except {@code schemaVersion} and {@code outcome} may be null:
 * a run that failed early has no sizes, no accuracy and no scale statistics.
 *
 * <p>This is a wire format shared by two processes that may run different builds: add fields, never rename or
 * re-type them, and bump {@link #SCHEMA_VERSION} only for incompatible changes. Unknown fields are ignored.
 *
 * @param schemaVersion   {@link #SCHEMA_VERSION} of the writer
 * @param outcome         whether the run produced an accepted output
 * @param failedStage     the stage that failed, null on success
 * @param errorCode       a short CamelCase reason for a failure (e.g. {@code ModelNotFound}, {@code UnsupportedOps}),
 *                        null on success; the operator uses it as the condition reason
 * @param message         a one-paragraph, user-facing explanation (the engine's own error message on failure)
 * @param output          where the quantized model was written
 * @param sizes           float and quantized model sizes
 * @param coverage        how many operators were quantized
 * @param accuracy        float vs quantized accuracy on the evaluation set (null without evaluation)
 * @param scales          per-tensor quantization parameters, bounded by {@link ScaleStats#MAX_TENSORS}
 * @param search          calibration method, accuracy budget and search outcome (null for the plain recipe)
 * @param report          where the run's JSON report and its HTML page were stored (null when not written)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunResult(
        int schemaVersion,
        Outcome outcome,
        Stage failedStage,
        String errorCode,
        String message,
        Output output,
        Sizes sizes,
        Coverage coverage,
        Accuracy accuracy,
        ScaleStats scales,
        Search search,
        ReportFiles report) {

    public static final int SCHEMA_VERSION = 1;

    public enum Outcome {
        SUCCEEDED,
        FAILED
    }

    /** The stages of a run in the order they execute; a failure in one means all earlier ones completed. */
    public enum Stage {
        LOAD,
        CALIBRATE,
        QUANTIZE,
        EVALUATE,
        WRITE
    }

    public static RunResult failure(Stage stage, String errorCode, String message) {
        return builder()
                .outcome(Outcome.FAILED)
                .failedStage(stage)
                .errorCode(errorCode)
                .message(message)
                .build();
    }

    /** A success with only a message: a phase of a sharded run that produced no model yet (or no longer). */
    public static RunResult done(String message) {
        return builder().outcome(Outcome.SUCCEEDED).message(message).build();
    }

    public boolean succeeded() {
        return outcome == Outcome.SUCCEEDED;
    }

    /** True when {@code stage} ran to completion in this run. */
    public boolean completed(Stage stage) {
        if (succeeded()) {
            return stage != Stage.EVALUATE || accuracy != null;
        }
        return failedStage != null && stage.ordinal() < failedStage.ordinal();
    }

    public RunResult withScales(ScaleStats v) {
        return toBuilder().scales(v).build();
    }

    public RunResult withMessage(String v) {
        return toBuilder().message(v).build();
    }

    public RunResult withCoverage(Coverage v) {
        return toBuilder().coverage(v).build();
    }

    public RunResult withReport(ReportFiles v) {
        return toBuilder().report(v).build();
    }

    /** A result of this {@link #SCHEMA_VERSION}, every other part unset (null). */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.schemaVersion = schemaVersion;
        b.outcome = outcome;
        b.failedStage = failedStage;
        b.errorCode = errorCode;
        b.message = message;
        b.output = output;
        b.sizes = sizes;
        b.coverage = coverage;
        b.accuracy = accuracy;
        b.scales = scales;
        b.search = search;
        b.report = report;
        return b;
    }

    /** One place that lists the fields in order, so a copy with one part changed names only that part. */
    public static final class Builder {
        private int schemaVersion = SCHEMA_VERSION;
        private Outcome outcome;
        private Stage failedStage;
        private String errorCode;
        private String message;
        private Output output;
        private Sizes sizes;
        private Coverage coverage;
        private Accuracy accuracy;
        private ScaleStats scales;
        private Search search;
        private ReportFiles report;

        private Builder() {}

        public Builder schemaVersion(int v) {
            schemaVersion = v;
            return this;
        }

        public Builder outcome(Outcome v) {
            outcome = v;
            return this;
        }

        public Builder failedStage(Stage v) {
            failedStage = v;
            return this;
        }

        public Builder errorCode(String v) {
            errorCode = v;
            return this;
        }

        public Builder message(String v) {
            message = v;
            return this;
        }

        public Builder output(Output v) {
            output = v;
            return this;
        }

        public Builder sizes(Sizes v) {
            sizes = v;
            return this;
        }

        public Builder coverage(Coverage v) {
            coverage = v;
            return this;
        }

        public Builder accuracy(Accuracy v) {
            accuracy = v;
            return this;
        }

        public Builder scales(ScaleStats v) {
            scales = v;
            return this;
        }

        public Builder search(Search v) {
            search = v;
            return this;
        }

        public Builder report(ReportFiles v) {
            report = v;
            return this;
        }

        public RunResult build() {
            return new RunResult(
                    schemaVersion,
                    outcome,
                    failedStage,
                    errorCode,
                    message,
                    output,
                    sizes,
                    coverage,
                    accuracy,
                    scales,
                    search,
                    report);
        }
    }

    /**
     * The run's report: the JSON's location, the HTML page's location and the page's SHA-256 (lower-case hex).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ReportFiles(String json, String html, String htmlSha256) {}

    /**
     * What was done for accuracy: the calibration method, the budget checked (in words) and whether the model meets
     * it, the ops kept float beyond those without an int8 kernel (at most {@link #MAX_KEPT_FLOAT} named), how many
     * ops do not run in int8, and how many candidate models were measured.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Search(
            String calibration, String budget, Boolean budgetMet, List<String> keptFloat, int nonInt8Ops, int trials) {
        public static final int MAX_KEPT_FLOAT = 32;

        public Search {
            keptFloat = keptFloat == null
                    ? List.of()
                    : List.copyOf(keptFloat.subList(0, Math.min(keptFloat.size(), MAX_KEPT_FLOAT)));
        }
    }

    /** The written model: its location as given in the spec, its size in bytes and its SHA-256 (lower-case hex). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Output(String location, long sizeBytes, String sha256) {}

    /** Sizes of the float input model and of the quantized output; {@code ratio} = quantized / float. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sizes(long floatBytes, long quantizedBytes, double ratio) {}

    /**
     * Operator coverage: {@code floatOps} stayed in float (allowed only with fallback); {@code unsupportedOps} names
     * the op types that could not be quantized (the reason an int8-only run fails).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Coverage(int totalOps, int quantizedOps, int floatOps, List<String> unsupportedOps) {}

    /**
     * Accuracy of the float and the quantized model on the same samples. {@code drop} = float - quantized
     * (positive means the quantized model is worse); {@code agreement} is the fraction of samples on which both
     * models predict the same class.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Accuracy(
            double floatAccuracy, double quantizedAccuracy, double drop, double agreement, int samples) {}

    /**
     * Quantization parameters of quantized tensors. At most {@link #MAX_TENSORS} entries are kept, in model order;
     * {@code totalTensors} counts them all, so readers can tell when the list was cut.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScaleStats(int totalTensors, List<TensorScale> tensors) {
        /** The cap on listed tensors: keeps a status object and a log line well below a few tens of KiB. */
        public static final int MAX_TENSORS = 256;

        public ScaleStats {
            tensors = tensors == null ? List.of() : List.copyOf(tensors);
        }

        /** Builds the statistics from every quantized tensor, keeping the first {@link #MAX_TENSORS}. */
        public static ScaleStats of(List<TensorScale> all) {
            List<TensorScale> kept = all.size() > MAX_TENSORS ? all.subList(0, MAX_TENSORS) : all;
            return new ScaleStats(all.size(), kept);
        }

        public boolean truncated() {
            return tensors.size() < totalTensors;
        }
    }

    /**
     * One quantized tensor. {@code min}/{@code max} are the calibrated (activations) or actual (weights) float
     * range. Per-channel weights are summarised: {@code scale} is the smallest and {@code scaleMax} the largest
     * channel scale, {@code channels} their count; per-tensor entries have {@code channels == 1} and
     * {@code scale == scaleMax}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TensorScale(
            String name,
            Kind kind,
            double min,
            double max,
            double scale,
            double scaleMax,
            int zeroPoint,
            int channels) {
        public enum Kind {
            ACTIVATION,
            WEIGHT,
            BIAS
        }
    }
}
