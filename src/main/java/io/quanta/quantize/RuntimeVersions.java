package io.quanta.quantize;

import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The "min_runtime_version" metadata: the oldest TFLite release that has every (op, version) the model uses.
 * Only the versions the quantizer produces are listed; other ops keep what the source model declared.
 */
final class RuntimeVersions {
    private RuntimeVersions() {}

    static final String METADATA_NAME = "min_runtime_version";

    private static final Map<String, String> RELEASES = Map.ofEntries(
            Map.entry("CONV_2D/2", "1.14.0"),
            Map.entry("CONV_2D/3", "1.14.0"),
            Map.entry("CONV_2D/5", "2.4.0"),
            Map.entry("DEPTHWISE_CONV_2D/2", "1.12.0"),
            Map.entry("DEPTHWISE_CONV_2D/3", "1.14.0"),
            Map.entry("DEPTHWISE_CONV_2D/4", "2.2.0"),
            Map.entry("DEPTHWISE_CONV_2D/6", "2.3.0"),
            Map.entry("FULLY_CONNECTED/3", "1.14.0"),
            Map.entry("FULLY_CONNECTED/4", "1.14.0"),
            Map.entry("FULLY_CONNECTED/5", "2.0.0"),
            Map.entry("FULLY_CONNECTED/6", "2.1.0"),
            Map.entry("FULLY_CONNECTED/9", "2.3.0"),
            Map.entry("ADD/2", "1.14.0"),
            Map.entry("SUB/2", "1.14.0"),
            Map.entry("SUB/3", "2.3.0"),
            Map.entry("MUL/2", "1.14.0"),
            Map.entry("MUL/3", "1.15.0"),
            Map.entry("MAX_POOL_2D/2", "1.14.0"),
            Map.entry("AVERAGE_POOL_2D/2", "1.14.0"),
            Map.entry("SOFTMAX/2", "1.14.0"),
            Map.entry("LOGISTIC/2", "1.14.0"),
            Map.entry("TANH/2", "1.14.0"),
            Map.entry("LOG_SOFTMAX/2", "1.14.0"),
            Map.entry("MEAN/2", "1.14.0"),
            Map.entry("RELU/2", "2.1.0"),
            Map.entry("RELU6/2", "1.14.0"),
            Map.entry("CONCATENATION/2", "1.14.0"),
            Map.entry("PAD/2", "1.14.0"),
            Map.entry("PADV2/2", "1.14.0"),
            Map.entry("TRANSPOSE/2", "1.14.0"),
            Map.entry("GATHER/2", "1.14.0"),
            Map.entry("STRIDED_SLICE/2", "1.14.0"),
            Map.entry("SLICE/2", "1.14.0"),
            Map.entry("SPACE_TO_BATCH_ND/2", "1.14.0"),
            Map.entry("BATCH_TO_SPACE_ND/2", "1.14.0"),
            Map.entry("MAXIMUM/2", "1.14.0"),
            Map.entry("MINIMUM/2", "1.14.0"),
            Map.entry("RESIZE_BILINEAR/2", "1.14.0"),
            Map.entry("RESIZE_NEAREST_NEIGHBOR/2", "1.14.0"),
            Map.entry("QUANTIZE/1", "1.14.0"),
            Map.entry("DEQUANTIZE/1", "1.13.1"),
            Map.entry("DEQUANTIZE/2", "1.14.0"),
            Map.entry("DEQUANTIZE/3", "1.15.0"),
            Map.entry("DEQUANTIZE/5", "2.7.0"),
            Map.entry("HARD_SWISH/1", "1.15.0"),
            Map.entry("LEAKY_RELU/1", "1.13.1"),
            Map.entry("EXPAND_DIMS/1", "1.10.0"),
            Map.entry("SQUEEZE/1", "1.6.0"),
            Map.entry("RESHAPE/1", "1.5.0"),
            Map.entry("SHAPE/1", "1.10.0"));

    /** Raises the model's min_runtime_version metadata (when it has one) to cover the ops of the main graph. */
    static void update(Model model) {
        for (int i = 0; i < model.metadata().size(); i++) {
            Metadata md = model.metadata().get(i);
            if (!md.name().equals(METADATA_NAME)) {
                continue;
            }
            String current = new String(md.data(), StandardCharsets.UTF_8)
                    .replace("\0", "")
                    .trim();
            String needed = current;
            for (Subgraph g : model.subgraphs()) {
                for (Operator op : g.operators()) {
                    if (op.type() == OpType.CUSTOM || op.type() == OpType.OTHER) {
                        continue;
                    }
                    String release = RELEASES.get(op.type() + "/" + op.version());
                    if (release != null && compare(release, needed) > 0) {
                        needed = release;
                    }
                }
            }
            byte[] text = needed.getBytes(StandardCharsets.UTF_8);
            // The converter stores the string in a 16-byte zero-padded buffer.
            byte[] padded = new byte[Math.max(16, text.length)];
            System.arraycopy(text, 0, padded, 0, text.length);
            model.metadata().set(i, new Metadata(METADATA_NAME, padded));
        }
    }

    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? parse(x[i]) : 0;
            int q = i < y.length ? parse(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.replaceAll("[^0-9].*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
