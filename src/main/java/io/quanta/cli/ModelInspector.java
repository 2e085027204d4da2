package io.quanta.cli;

import io.quanta.cli.ModelInfo.Node;
import io.quanta.cli.ModelInfo.OpCount;
import io.quanta.cli.ModelInfo.Quantization;
import io.quanta.cli.ModelInfo.Signature;
import io.quanta.cli.ModelInfo.Sizes;
import io.quanta.cli.ModelInfo.SubgraphInfo;
import io.quanta.cli.ModelInfo.TensorInfo;
import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.SignatureDef;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Gathers the facts {@code quanta inspect} shows from a model in memory. Pure: no I/O. */
public final class ModelInspector {
    /** Per-channel lists longer than this are summarised (ranges only) unless all channels are asked for. */
    public static final int MAX_LISTED_CHANNELS = 16;

    private final boolean allChannels;

    public ModelInspector(boolean allChannels) {
        this.allChannels = allChannels;
    }

    public ModelInfo inspect(Model model, String fileName, Long fileBytes) {
        List<SubgraphInfo> subgraphs = new ArrayList<>();
        Map<String, OpCount> ops = new LinkedHashMap<>();
        Map<String, Long> bytesByType = new TreeMap<>();
        long constantBytes = 0;
        int tensorCount = 0;
        int constantCount = 0;
        int nodeCount = 0;
        for (int s = 0; s < model.subgraphs().size(); s++) {
            Subgraph g = model.subgraphs().get(s);
            List<TensorInfo> tensors = new ArrayList<>();
            for (int t = 0; t < g.tensors().size(); t++) {
                Tensor tensor = g.tensor(t);
                tensors.add(tensorInfo(t, tensor));
                if (tensor.isConstant()) {
                    constantCount++;
                    constantBytes += tensor.data().length;
                    bytesByType.merge(tensor.type().name(), (long) tensor.data().length, Long::sum);
                }
            }
            tensorCount += tensors.size();
            List<Node> nodes = new ArrayList<>();
            for (int n = 0; n < g.operators().size(); n++) {
                Operator op = g.operators().get(n);
                nodes.add(new Node(n, op.displayName(), op.version(), op.inputs(), op.outputs()));
                ops.merge(
                        op.displayName() + " v" + op.version(),
                        new OpCount(op.displayName(), op.version(), 1),
                        (a, b) -> new OpCount(a.op(), a.version(), a.count() + 1));
            }
            nodeCount += nodes.size();
            subgraphs.add(new SubgraphInfo(
                    s,
                    g.name(),
                    ioTensors(s, "input", g.inputs(), tensors),
                    ioTensors(s, "output", g.outputs(), tensors),
                    nodes,
                    tensors));
        }
        List<ModelInfo.MetadataEntry> metadata =
                model.metadata().stream().map(ModelInspector::metadata).toList();
        List<Signature> signatures =
                model.signatureDefs().stream().map(ModelInspector::signature).toList();
        Sizes sizes = new Sizes(fileBytes, constantBytes, bytesByType, tensorCount, constantCount, nodeCount);
        return new ModelInfo(
                fileName,
                model.version(),
                model.description(),
                metadata,
                signatures,
                sizes,
                new ArrayList<>(ops.values()),
                subgraphs);
    }

    /** Up to this many bytes of printable ASCII (NUL-terminated or not) show as text, e.g. "1.14.0". */
    static final int MAX_METADATA_TEXT = 64;

    private static ModelInfo.MetadataEntry metadata(Metadata m) {
        byte[] d = m.data() == null ? new byte[0] : m.data();
        int end = d.length;
        while (end > 0 && d[end - 1] == 0) {
            end--;
        }
        boolean printable = end > 0 && end <= MAX_METADATA_TEXT;
        for (int k = 0; k < end && printable; k++) {
            printable = d[k] >= 0x20 && d[k] < 0x7f;
        }
        return new ModelInfo.MetadataEntry(
                m.name(),
                d.length,
                printable ? new String(d, 0, end, java.nio.charset.StandardCharsets.US_ASCII) : null);
    }

    private static Signature signature(SignatureDef d) {
        return new Signature(d.key(), d.subgraphIndex(), d.inputs(), d.outputs());
    }

    private static List<TensorInfo> ioTensors(int subgraph, String role, int[] indices, List<TensorInfo> tensors) {
        List<TensorInfo> out = new ArrayList<>();
        for (int t : indices) {
            if (t < 0 || t >= tensors.size()) {
                throw new UserException("malformed model: subgraph " + subgraph + " names tensor " + t + " as an "
                        + role + ", but it has only " + tensors.size() + " tensors");
            }
            out.add(tensors.get(t));
        }
        return out;
    }

    TensorInfo tensorInfo(int index, Tensor t) {
        int[] shape = t.shape();
        int[] signature = t.shapeSignature();
        return new TensorInfo(
                index,
                t.name(),
                t.type().name(),
                shape,
                signature != null && !Arrays.equals(signature, shape) ? signature : null,
                t.isConstant() ? Long.valueOf(t.data().length) : null,
                t.isVariable() ? Boolean.TRUE : null,
                t.isQuantized() ? quantization(t.quant()) : null);
    }

    Quantization quantization(QuantParams q) {
        float[] scale = q.scale();
        long[] zeroPoint = q.zeroPoint();
        float sMin = Float.POSITIVE_INFINITY;
        float sMax = Float.NEGATIVE_INFINITY;
        for (float s : scale) {
            sMin = Math.min(sMin, s);
            sMax = Math.max(sMax, s);
        }
        long zMin = zeroPoint.length == 0 ? 0 : Long.MAX_VALUE;
        long zMax = zeroPoint.length == 0 ? 0 : Long.MIN_VALUE;
        for (long z : zeroPoint) {
            zMin = Math.min(zMin, z);
            zMax = Math.max(zMax, z);
        }
        boolean listed = allChannels || scale.length <= MAX_LISTED_CHANNELS;
        return new Quantization(
                scale.length,
                scale.length > 1 ? Integer.valueOf(q.quantizedDimension()) : null,
                listed ? scale.clone() : null,
                listed ? zeroPoint.clone() : null,
                sMin,
                sMax,
                zMin,
                zMax);
    }
}
