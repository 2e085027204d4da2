package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed about the latest generation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantizationJobStatus {
    @JsonPropertyDescription("Queued, Pending, Running, Succeeded or Failed.")
    public Phase phase;

    @JsonPropertyDescription("The spec generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("The batch/v1 Job running this generation; for a sharded run the prefix of its phase Jobs "
            + "(<jobName>-<phase>[-<shard>]).")
    public String jobName;

    @JsonPropertyDescription("When the engine pod started (RFC 3339).")
    public String startTime;

    @JsonPropertyDescription("When the run finished (RFC 3339).")
    public String completionTime;

    @JsonPropertyDescription("Human-readable summary of the current state.")
    public String message;

    @JsonPropertyDescription("A sharded run's (spec.parallelism > 1) current phase and how many of its shards are "
            + "done, e.g. 'calibration 3/4 shards'.")
    public String progress;

    @JsonPropertyDescription("Ready (True only after a successful run), Reconciling (True while it runs), Stalled "
            + "(True after a failure), then the stages Calibrated, Quantized, Evaluated and Accepted.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The written quantized model.")
    public OutputStatus output;

    @JsonPropertyDescription("The run's report: the JSON and its HTML page, stored beside each other.")
    public ReportStatus report;

    @JsonPropertyDescription("Model sizes.")
    public SizesStatus sizes;

    @JsonPropertyDescription("How many operators were quantized.")
    public CoverageStatus coverage;

    @JsonPropertyDescription("Float vs quantized accuracy on the evaluation dataset.")
    public AccuracyStatus accuracy;

    @JsonPropertyDescription("Quantization parameters per quantized tensor (at most 256 listed).")
    public ScaleStatsStatus scaleStats;

    @JsonPropertyDescription("Calibration method, accuracy budget and search: ops kept float and trials.")
    public SearchStatus search;

    /** What the engine did for accuracy. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SearchStatus {
        @JsonPropertyDescription("The calibration method (minmax, percentile, mse, entropy, auto).")
        public String calibration;

        @JsonPropertyDescription("The budget checked, in words (e.g. agreement >= 0.95).")
        public String budget;

        @JsonPropertyDescription("True when the quantized model met the accuracy budget.")
        public Boolean budgetMet;

        @JsonPropertyDescription("Ops kept float beyond those without an int8 kernel (at most 32 named).")
        public List<String> keptFloat;

        @JsonPropertyDescription("Ops of the model that do not run in int8.")
        public Integer nonInt8Ops;

        @JsonPropertyDescription("Candidate models measured.")
        public Integer trials;
    }

    /** The written model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class OutputStatus {
        @JsonPropertyDescription("Where the quantized model was written.")
        public String location;

        @JsonPropertyDescription("Size of the written model in bytes.")
        public Long sizeBytes;

        @JsonPropertyDescription("SHA-256 of the written model (hex).")
        public String sha256;
    }

    /** Where the run's report went. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ReportStatus {
        @JsonPropertyDescription("The HTML page (one self-contained file).")
        public String html;

        @JsonPropertyDescription("SHA-256 of the HTML page.")
        public String htmlSha256;

        @JsonPropertyDescription("The JSON report.")
        public String json;
    }

    /** Float and quantized model sizes in bytes; ratio = quantized / float. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SizesStatus {
        @JsonPropertyDescription("Size of the float model in bytes.")
        public Long floatBytes;

        @JsonPropertyDescription("Size of the quantized model in bytes.")
        public Long quantizedBytes;

        @JsonPropertyDescription("quantizedBytes / floatBytes.")
        public Double ratio;
    }

    /** Operator coverage of the quantized model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class CoverageStatus {
        @JsonPropertyDescription("Operators in the model.")
        public Integer totalOps;

        @JsonPropertyDescription("Operators that run in int8.")
        public Integer quantizedOps;

        @JsonPropertyDescription("Operators left in float.")
        public Integer floatOps;

        @JsonPropertyDescription("Operator types without an int8 kernel.")
        public List<String> unsupportedOps;
    }

    /** Accuracy of both models on the same samples; drop = float - quantized. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class AccuracyStatus {
        @JsonPropertyDescription("Accuracy of the float model (0..1).")
        public Double floatAccuracy;

        @JsonPropertyDescription("Accuracy of the quantized model (0..1).")
        public Double quantizedAccuracy;

        @JsonPropertyDescription("floatAccuracy - quantizedAccuracy.")
        public Double drop;

        @JsonPropertyDescription("Fraction of samples where both models predict the same class.")
        public Double agreement;

        @JsonPropertyDescription("Number of evaluated samples.")
        public Integer samples;
    }

    /** Per-tensor quantization parameters; only the first 256 quantized tensors are listed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ScaleStatsStatus {
        @JsonPropertyDescription("Number of quantized tensors in the model.")
        public Integer totalTensors;

        @JsonPropertyDescription("True when the list below holds fewer than totalTensors entries.")
        public Boolean truncated;

        @JsonPropertyDescription("The quantized tensors, in model order.")
        public List<TensorScaleStatus> tensors;
    }

    /** One quantized tensor; per-channel weights give the smallest (scale) and largest (scaleMax) channel scale. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TensorScaleStatus {
        @JsonPropertyDescription("Tensor name.")
        public String name;

        @JsonPropertyDescription("ACTIVATION, WEIGHT or BIAS.")
        public String kind;

        @JsonPropertyDescription("Smallest value of the calibrated (or weight) range.")
        public Double min;

        @JsonPropertyDescription("Largest value of the calibrated (or weight) range.")
        public Double max;

        @JsonPropertyDescription("Quantization scale (the smallest channel scale for per-channel weights).")
        public Double scale;

        @JsonPropertyDescription("Largest channel scale for per-channel weights.")
        public Double scaleMax;

        @JsonPropertyDescription("Quantization zero point.")
        public Integer zeroPoint;

        @JsonPropertyDescription("Number of per-channel scales (1 for per-tensor).")
        public Integer channels;
    }
}
