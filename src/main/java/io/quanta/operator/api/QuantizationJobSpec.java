package io.quanta.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/** The desired quantization run. Any change to it (a new generation) starts a new run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QuantizationJobSpec {
    @Required
    @JsonPropertyDescription("The float .tflite model.")
    public LocationSpec model;

    @JsonPropertyDescription(
            "Representative samples for calibrating activation ranges (required by modes Int8 and " + "Int8Only).")
    public DatasetSpec calibration;

    @JsonPropertyDescription("Optional labelled samples for measuring float vs quantized accuracy.")
    public EvaluationDatasetSpec evaluation;

    // "{}" makes the API server create the object, and with it the defaults of its fields, when it is omitted.
    @Default("{}")
    @JsonPropertyDescription("Quantization options.")
    public QuantizationSpec quantization = new QuantizationSpec();

    @Required
    @JsonPropertyDescription("Where the quantized .tflite model is written.")
    public LocationSpec output;

    @JsonPropertyDescription("Optional acceptance threshold; without it every finished run is accepted.")
    public Acceptance acceptance;

    @JsonPropertyDescription("Volumes mounted into the engine pod.")
    public List<ModelVolume> volumes;

    @SchemaFrom(type = EngineResources.class)
    @JsonPropertyDescription("CPU and memory of the engine container (defaults from the operator).")
    public ResourceRequirements resources;

    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Engine image; defaults to the operator's own image.")
    public String image;

    @Min(0)
    @Max(10)
    @Default("0")
    @JsonPropertyDescription("Retries of a failed engine pod (batch/v1 Job backoffLimit).")
    public Integer backoffLimit = 0;

    @Min(1)
    @JsonPropertyDescription("Time limit of the run in seconds (batch/v1 Job activeDeadlineSeconds).")
    public Long activeDeadlineSeconds;

    @Min(0)
    @JsonPropertyDescription("Delete the finished Job and its pod after this many seconds; the status stays.")
    public Integer ttlSecondsAfterFinished;

    @JsonPropertyDescription("Scheduling hints, pull secrets, labels and annotations of the engine pod, within the "
            + "operator's policy.")
    public EnginePodSpec pod;

    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription(
            "A Kueue LocalQueue: the Job is created suspended with label kueue.x-k8s.io/queue-name and "
                    + "Kueue admits it; the operator's own maxConcurrentJobs does not apply.")
    public String queueName;

    @Pattern(Patterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Service account of the engine pod, for workload identity (IRSA, GKE Workload "
            + "Identity); must be one the operator's policy allows. Without it the pod runs as the namespace's "
            + "default account with no token.")
    public String serviceAccountName;

    @Min(1)
    @Default("300")
    @JsonPropertyDescription("Fail the run (reason PodStartTimeout) when the engine container has not started "
            + "this many seconds after its pod (or Job) was created.")
    public Integer podStartTimeoutSeconds = 300;

    @Default("false")
    @JsonPropertyDescription("Create the Job again when someone deletes it mid-run; otherwise the run is failed "
            + "with reason JobDeleted.")
    public Boolean rerunIfJobDeleted = false;

    @Min(1)
    @Max(64)
    @Default("1")
    @JsonPropertyDescription("Shards of calibration and evaluation: N calibration pods, one quantization pod, N "
            + "evaluation pods and a merge; the result equals that of one pod (1, the default).")
    public Integer parallelism = 1;

    @Default("false")
    @JsonPropertyDescription("Keep the intermediate files of a sharded run (statistics and tallies under the work "
            + "location, <output>.work/<uid>/) after it ends; by default they are deleted.")
    public Boolean keepIntermediate = false;
}
