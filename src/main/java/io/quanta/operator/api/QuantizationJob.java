package io.quanta.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A request to quantize one TensorFlow Lite model; the operator runs it as a batch/v1 Job. The printer columns are
 * listed in the order {@code kubectl get qj} shows them (docs/operator.md).
 */
@Group(QuantizationJob.GROUP)
@Version(QuantizationJob.VERSION)
@ShortNames("qj")
@Categories("quanta")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Reason",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Mode",
        jsonPath = ".spec.quantization.mode",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
        name = "Accuracy drop",
        jsonPath = ".status.accuracy.drop",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
        name = "Size ratio",
        jsonPath = ".status.sizes.ratio",
        type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(
        name = "Report",
        jsonPath = ".status.report.html",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class QuantizationJob extends CustomResource<QuantizationJobSpec, QuantizationJobStatus> implements Namespaced {
    public static final String GROUP = "quanta.io";
    public static final String VERSION = "v1alpha1";
}
