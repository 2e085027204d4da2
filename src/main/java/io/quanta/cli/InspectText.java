package io.quanta.cli;

import io.quanta.cli.ModelInfo.OpCount;
import io.quanta.cli.ModelInfo.Quantization;
import io.quanta.cli.ModelInfo.SubgraphInfo;
import io.quanta.cli.ModelInfo.TensorInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link ModelInfo} for people: a header of sizes, op counts, then inputs, outputs and tensors. */
final class InspectText {
    /** In text, per-channel lists longer than this show as ranges (JSON keeps more, see ModelInspector). */
    static final int MAX_TEXT_CHANNELS = 4;

    private final PrintWriter out;
    private final boolean allChannels;
    private final boolean nodes;

    InspectText(PrintWriter out, boolean allChannels, boolean nodes) {
        this.out = out;
        this.allChannels = allChannels;
        this.nodes = nodes;
    }

    void render(ModelInfo m) {
        ModelInfo.Sizes sizes = m.sizes();
        out.println("model: " + m.file());
        out.println("  " + (sizes.fileBytes() != null ? bytes(sizes.fileBytes()) + ", " : "") + "TFLite schema v"
                + m.schemaVersion() + ", " + count(m.subgraphs().size(), "subgraph")
                + (m.description().isEmpty() ? "" : ", description \"" + m.description() + "\""));
        if (!m.metadata().isEmpty()) {
            List<String> entries = new ArrayList<>();
            for (ModelInfo.MetadataEntry e : m.metadata()) {
                entries.add(e.name() + (e.text() != null ? " = " + e.text() : " (" + bytes(e.bytes()) + ")"));
            }
            out.println("  metadata: " + String.join(", ", entries));
        }
        for (ModelInfo.Signature s : m.signatures()) {
            out.println("  signature '" + s.key() + "' (subgraph " + s.subgraph() + "): inputs " + names(s.inputs())
                    + "; outputs " + names(s.outputs()));
        }
        List<String> byType = new ArrayList<>();
        sizes.constantBytesByType().forEach((type, n) -> byType.add(type + " " + bytes(n)));
        out.println("  constants: " + bytes(sizes.constantBytes()) + " in " + sizes.constantTensors() + " of "
                + count(sizes.tensors(), "tensor") + (byType.isEmpty() ? "" : " (" + String.join(", ", byType) + ")"));

        out.println();
        out.println("operators: " + count(sizes.operators(), "node"));
        for (OpCount op : m.operators()) {
            out.printf(Locale.ROOT, "  %-32s v%-3d %6d%n", op.op(), op.version(), op.count());
        }
        for (SubgraphInfo g : m.subgraphs()) {
            renderSubgraph(g);
        }
        out.flush();
    }

    private void renderSubgraph(SubgraphInfo g) {
        out.println();
        out.println("subgraph " + g.index() + (g.name().isEmpty() ? "" : " '" + g.name() + "'") + ": "
                + count(g.tensors().size(), "tensor") + ", "
                + count(g.operators().size(), "operator"));
        out.println("  inputs:");
        g.inputs().forEach(t -> out.println("    " + ioLine(t)));
        out.println("  outputs:");
        g.outputs().forEach(t -> out.println("    " + ioLine(t)));
        if (nodes) {
            out.println("  operators, in execution order:");
            for (ModelInfo.Node n : g.operators()) {
                out.printf(
                        Locale.ROOT,
                        "    %5d  %s v%d  in %s  out %s%n",
                        n.index(),
                        n.op(),
                        n.version(),
                        tensorRefs(n.inputs(), g),
                        tensorRefs(n.outputs(), g));
            }
        }
        out.println("  tensors:");
        out.printf(
                Locale.ROOT,
                "    %5s  %-8s %-20s %12s  %s%n",
                "index",
                "type",
                "shape",
                "const bytes",
                "name  [quantization]");
        for (TensorInfo t : g.tensors()) {
            String q = t.quantization() == null ? "" : "  [" + quantization(t.quantization()) + "]";
            out.printf(
                    Locale.ROOT,
                    "    %5d  %-8s %-20s %12s  %s%s%s%n",
                    t.index(),
                    t.type(),
                    shapeText(t),
                    t.constantBytes() == null ? "-" : String.format(Locale.ROOT, "%,d", t.constantBytes()),
                    t.name(),
                    Boolean.TRUE.equals(t.variable()) ? " (variable)" : "",
                    q);
        }
    }

    /** "#3 conv1, -" style references: index and name, "-" for an omitted optional input. */
    private static String tensorRefs(int[] indices, SubgraphInfo g) {
        List<String> refs = new ArrayList<>();
        for (int t : indices) {
            refs.add(
                    t < 0
                            ? "-"
                            : t < g.tensors().size()
                                    ? "#" + t + " " + g.tensors().get(t).name()
                                    : "#" + t + " ?");
        }
        return refs.isEmpty() ? "none" : String.join(", ", refs);
    }

    private static String ioLine(TensorInfo t) {
        return "#" + t.index() + " " + t.name() + "  " + t.type() + " " + shapeText(t)
                + (t.quantization() == null ? "" : "  [" + quantizationBrief(t.quantization()) + "]");
    }

    /** The shape, with -1 shown for the dimensions known only at run time. */
    static String shapeText(TensorInfo t) {
        return dims(
                t.shapeSignature() != null && t.shapeSignature().length == t.shape().length
                        ? t.shapeSignature()
                        : t.shape());
    }

    static String dims(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < shape.length; k++) {
            sb.append(k > 0 ? "," : "").append(shape[k]);
        }
        return sb.append(']').toString();
    }

    private static String quantizationBrief(Quantization q) {
        return q.channels() == 1 ? perTensor(q) : "per-channel, axis " + q.axis() + ", " + q.channels() + " channels";
    }

    private String quantization(Quantization q) {
        if (q.channels() == 1) {
            return perTensor(q);
        }
        String head = "axis " + q.axis() + ", " + q.channels() + " ch, ";
        if (q.scale() != null && (allChannels || q.channels() <= MAX_TEXT_CHANNELS)) {
            List<String> s = new ArrayList<>();
            for (float v : q.scale()) {
                s.add(num(v));
            }
            List<String> z = new ArrayList<>();
            for (long v : q.zeroPoint()) {
                z.add(Long.toString(v));
            }
            return head + "scale [" + String.join(", ", s) + "] zero point [" + String.join(", ", z) + "]";
        }
        return head + "scale " + num(q.scaleMin()) + ".." + num(q.scaleMax()) + " zero point "
                + (q.zeroPointMin() == q.zeroPointMax()
                        ? Long.toString(q.zeroPointMin())
                        : q.zeroPointMin() + ".." + q.zeroPointMax());
    }

    private static String perTensor(Quantization q) {
        return "scale " + num(q.scaleMin()) + " zero point " + q.zeroPointMin();
    }

    /** Six significant digits without trailing zeros: 0.05, 0.00392157, 1.52588e-05. */
    static String num(float v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    private static String names(Map<String, Integer> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((name, index) -> parts.add(name + "=#" + index));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d bytes", n);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
