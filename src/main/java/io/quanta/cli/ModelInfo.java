package io.quanta.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What {@code quanta inspect} reports about a model; serialised as is for {@code --json}, so field names are
 * the JSON schema. Absent facts are null and left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelInfo(
        String file,
        int schemaVersion,
        String description,
        List<MetadataEntry> metadata,
        List<Signature> signatures,
        Sizes sizes,
        List<OpCount> operators,
        List<SubgraphInfo> subgraphs) {

    /** A metadata entry: its name, size, and its contents when they are short printable text (a version, say). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MetadataEntry(String name, int bytes, String text) {}

    /** A signature: user-facing names of inputs and outputs mapped to tensor indices of one subgraph. */
    public record Signature(String key, int subgraph, Map<String, Integer> inputs, Map<String, Integer> outputs) {}

    /** Sizes in bytes: of the file (when read from one), and of the constant data by element type. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Sizes(
            Long fileBytes,
            long constantBytes,
            Map<String, Long> constantBytesByType,
            int tensors,
            int constantTensors,
            int operators) {}

    /** How many nodes run one op at one version, over all subgraphs. */
    public record OpCount(String op, int version, int count) {}

    public record SubgraphInfo(
            int index,
            String name,
            List<TensorInfo> inputs,
            List<TensorInfo> outputs,
            List<Node> operators,
            List<TensorInfo> tensors) {}

    /** One operator node in execution order; -1 marks an omitted optional input. */
    public record Node(int index, String op, int version, int[] inputs, int[] outputs) {}

    /**
     * One tensor. {@code shapeSignature} is given only when it differs from {@code shape} (a dimension known
     * only at run time reads -1 there); {@code constantBytes} only for constants.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TensorInfo(
            int index,
            String name,
            String type,
            int[] shape,
            int[] shapeSignature,
            Long constantBytes,
            Boolean variable,
            Quantization quantization) {}

    /**
     * Affine quantization: one scale and zero point per tensor, or per slice along {@code axis}. Long
     * per-channel lists are summarised: {@code scale} and {@code zeroPoint} are then absent and the ranges
     * and channel count remain.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Quantization(
            int channels,
            Integer axis,
            float[] scale,
            long[] zeroPoint,
            float scaleMin,
            float scaleMax,
            long zeroPointMin,
            long zeroPointMax) {}
}
