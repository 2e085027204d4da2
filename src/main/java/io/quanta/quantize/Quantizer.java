package io.quanta.quantize;

import io.quanta.graph.Model;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Post-training quantization of a float model, following the TFLite int8 quantization spec and the
 * TensorFlow converter's conventions. A pure transform: the input model is not modified.
 */
public final class Quantizer {
    private Quantizer() {}

    /**
     * Quantizes the main subgraph of {@code model}.
     *
     * @param ranges calibrated float ranges of the activation tensors (unused by DYNAMIC_RANGE and FLOAT16)
     * @throws UnquantizableOpsException in INT8_ONLY mode, when some op cannot run in int8
     */
    public static QuantizationResult quantize(Model model, TensorRanges ranges, QuantizationOptions options) {
        Model out = model.copy();
        Subgraph main = out.mainGraph();
        GraphEdit edit;
        List<OpReport> ops;
        switch (options.mode()) {
            case INT8, INT8_ONLY, INT16X8 -> {
                ConstantFolding.foldConstantDequantize(main);
                FullIntegerQuantizer q = new FullIntegerQuantizer(main, ranges, options);
                ops = q.run();
                edit = q.edit();
            }
            case DYNAMIC_RANGE -> {
                WeightOnlyQuantizer q = new WeightOnlyQuantizer(main, options);
                ops = q.dynamicRange();
                edit = q.edit();
            }
            case FLOAT16 -> {
                WeightOnlyQuantizer q = new WeightOnlyQuantizer(main, options);
                ops = q.float16();
                edit = q.edit();
            }
            default -> throw new IllegalArgumentException("unknown mode " + options.mode());
        }
        GraphCompaction.compact(out, 0);
        if (options.shortenFusedNames()) {
            TensorNames.shortenFusedNames(out.mainGraph());
        }
        RuntimeVersions.update(out);
        return new QuantizationResult(out, options, tensorReports(out.mainGraph(), edit), ops);
    }

    /**
     * The name of every op as the quantizer numbers them in its {@link OpReport}s (constant DEQUANTIZE ops folded
     * away): see {@link OpSelection#nameOf}.
     */
    public static List<String> opNames(Model model) {
        Model copy = model.copy();
        Subgraph main = copy.mainGraph();
        ConstantFolding.foldConstantDequantize(main);
        return main.operators().stream().map(op -> OpSelection.nameOf(main, op)).toList();
    }

    /** True when the op's report says it stayed float because keep-float named it. */
    public static boolean keptFloatAsAsked(OpReport op) {
        return FullIntegerQuantizer.KEPT_FLOAT.equals(op.reason());
    }

    private static List<TensorReport> tensorReports(Subgraph g, GraphEdit edit) {
        List<TensorReport> reports = new ArrayList<>();
        for (int i = 0; i < g.tensors().size(); i++) {
            Tensor t = g.tensor(i);
            GraphEdit.Note note = edit.notes.get(t);
            if (note == null) continue;
            QuantParams q = t.quant();
            float[] scales = q == null ? new float[0] : q.scale();
            reports.add(TensorReport.of(
                    i,
                    note.sourceIndex(),
                    t.name(),
                    note.role(),
                    t.type(),
                    note.range(),
                    scales,
                    q == null ? 0 : q.zeroPoint(0),
                    q == null ? -1 : q.quantizedDimension()));
        }
        return reports;
    }
}
