package io.quanta.quantize;

import io.quanta.graph.DataType;
import io.quanta.graph.Half;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The modes that change only constants: DYNAMIC_RANGE (int8 weights read directly by TFLite's hybrid
 * CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED kernels) and FLOAT16 (float16 constants expanded by DEQUANTIZE).
 */
final class WeightOnlyQuantizer {
    private final Subgraph g;
    private final QuantizationOptions options;
    private final GraphEdit edit;

    WeightOnlyQuantizer(Subgraph g, QuantizationOptions options) {
        this.g = g;
        this.options = options;
        this.edit = new GraphEdit(g);
    }

    GraphEdit edit() {
        return edit;
    }

    List<OpReport> dynamicRange() {
        List<OpReport> reports = new ArrayList<>();
        List<Operator> ops = g.operators();
        for (int i = 0; i < ops.size(); i++) {
            Operator op = ops.get(i);
            String reason = hybridProblem(op);
            if (reason != null) {
                reports.add(new OpReport(i, op.displayName(), OpReport.Outcome.FLOAT_FALLBACK, reason));
                continue;
            }
            Tensor w = g.tensor(op.input(1));
            float[] weights = Constants.finiteFloats(w);
            int axis = switch (op.type()) {
                case CONV_2D -> 0;
                case DEPTHWISE_CONV_2D -> 3;
                default -> options.perChannelFullyConnected() ? 0 : -1;
            };
            double[] maxAbs = QuantMath.maxAbs(weights, w.shape(), axis);
            float[] scales = new float[maxAbs.length];
            for (int c = 0; c < scales.length; c++) {
                scales[c] = QuantMath.symmetricScale(maxAbs[c]);
            }
            QuantParams q = axis < 0 ? QuantParams.perTensor(scales[0], 0) : QuantParams.perChannel(scales, axis);
            int wi = edit.addConstant(
                    w.name(), DataType.INT8, w.shape(), QuantMath.quantizeWeights(weights, w.shape(), axis, scales), q);
            edit.note(wi, TensorReport.Role.WEIGHT, Range.of(weights), op.input(1));
            int[] inputs = op.inputs();
            inputs[1] = wi;
            op.inputs(inputs);
            op.version(OpVersions.versionOf(op, g));
            reports.add(new OpReport(i, op.displayName(), OpReport.Outcome.QUANTIZED, null));
        }
        return reports;
    }

    private String hybridProblem(Operator op) {
        if (op.type() != OpType.CONV_2D
                && op.type() != OpType.DEPTHWISE_CONV_2D
                && op.type() != OpType.FULLY_CONNECTED) {
            return "dynamic-range quantization covers CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED only";
        }
        int w = op.input(1);
        if (op.input(0) < 0 || g.tensor(op.input(0)).type() != DataType.FLOAT32) return "input is not float32";
        if (w < 0 || !g.tensor(w).isConstant() || g.tensor(w).type() != DataType.FLOAT32) {
            return "weights are not a float32 constant";
        }
        if (g.tensor(w).elementCount() < options.dynamicRangeMinElements()) {
            return "weights have " + g.tensor(w).elementCount() + " elements, fewer than "
                    + options.dynamicRangeMinElements();
        }
        return null;
    }

    List<OpReport> float16() {
        List<OpReport> reports = new ArrayList<>();
        List<Operator> ops = new ArrayList<>(g.operators());
        List<Operator> rewritten = new ArrayList<>();
        int[] expanded = new int[g.tensors().size()];
        java.util.Arrays.fill(expanded, -1);
        for (int i = 0; i < ops.size(); i++) {
            Operator op = ops.get(i);
            int[] inputs = op.inputs();
            boolean changed = false;
            for (int j = 0; j < inputs.length; j++) {
                int t = inputs[j];
                if (t < 0 || t >= expanded.length) continue;
                Tensor tensor = g.tensor(t);
                if (!tensor.isConstant() || tensor.type() != DataType.FLOAT32 || tensor.isVariable()) continue;
                if (expanded[t] < 0) {
                    float[] values = Constants.floats(tensor);
                    short[] halves = new short[values.length];
                    for (int k = 0; k < values.length; k++) halves[k] = Half.fromFloat(values[k]);
                    int h = edit.addConstant(
                            tensor.name(),
                            DataType.FLOAT16,
                            tensor.shape(),
                            io.quanta.graph.TensorData.of(halves),
                            null);
                    int f = edit.addLike(tensor, tensor.name() + "_dequantized", DataType.FLOAT32, null);
                    edit.note(h, TensorReport.Role.WEIGHT, Range.of(values), t);
                    Operator dq = GraphEdit.dequantizeOp(h, f);
                    rewritten.add(dq);
                    dq.version(OpVersions.versionOf(dq, g));
                    expanded[t] = f;
                }
                inputs[j] = expanded[t];
                changed = true;
            }
            rewritten.add(op.inputs(inputs));
            reports.add(new OpReport(
                    i, op.displayName(), changed ? OpReport.Outcome.QUANTIZED : OpReport.Outcome.NOT_FLOAT, null));
        }
        g.operators().clear();
        g.operators().addAll(rewritten);
        return reports;
    }
}
