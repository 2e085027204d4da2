package io.quanta.quantize;

import io.quanta.graph.DataType;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INT8, INT8_ONLY and INT16X8: rewrites the main subgraph so that every op the {@link QuantizableOps} table covers
 * runs in int8 (or, in 16x8 mode and for ops named by {@code int16Ops}, with int16 activations), with
 * QUANTIZE/DEQUANTIZE at the borders of float regions, between int8 and int16 parts, and at the model interface.
 * TFLite's QUANTIZE narrows int16 to int8 but cannot widen int8 to int16: that border goes through float.
 */
final class FullIntegerQuantizer {
    private enum Decision {
        QUANTIZE,
        FLOAT,
        NOT_FLOAT
    }

    /** The reason recorded for an op left float because keep-float named it. */
    static final String KEPT_FLOAT = "kept float as asked (keep-float)";

    private final Subgraph g;
    private final TensorRanges ranges;
    private final QuantizationOptions options;
    private final GraphEdit edit;
    private final List<Operator> sourceOps;
    private final int sourceTensorCount;

    private final Decision[] decisions;
    private final String[] reasons;
    private final int[] producer;
    private final int[] consumerCount;
    private final boolean[] graphInput;
    private final boolean[] graphOutput;
    /** Source tensors that are float32 activations (non-constant), whatever they have been retyped to since. */
    private final boolean[] floatActivation;

    /** Int8 (resp. int16) parameters of each source activation tensor, once known. */
    private final QuantParams[] params;

    private final QuantParams[] params16;
    /** Activation type (INT8 or INT16) of each op decided QUANTIZE. */
    private final DataType[] width;
    /** Index of the integer tensor (in its producer's type) resp. float tensor carrying each source tensor, or -1. */
    private final int[] int8View;

    private final int[] floatView;
    private final Map<String, Integer> requantized = new HashMap<>();
    private final List<Operator> rewritten = new ArrayList<>();
    private final Set<Operator> versionToUpdate = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final LstmQuantization lstm;

    FullIntegerQuantizer(Subgraph g, TensorRanges ranges, QuantizationOptions options) {
        this.g = g;
        this.ranges = ranges;
        this.options = options;
        this.edit = new GraphEdit(g);
        this.lstm = new LstmQuantization(g, ranges, edit);
        this.sourceOps = new ArrayList<>(g.operators());
        this.sourceTensorCount = g.tensors().size();
        int n = sourceTensorCount;
        decisions = new Decision[sourceOps.size()];
        reasons = new String[sourceOps.size()];
        producer = new int[n];
        consumerCount = new int[n];
        graphInput = new boolean[n];
        graphOutput = new boolean[n];
        floatActivation = new boolean[n];
        params = new QuantParams[n];
        params16 = new QuantParams[n];
        width = new DataType[sourceOps.size()];
        int8View = new int[n];
        floatView = new int[n];
        Arrays.fill(producer, -1);
        Arrays.fill(int8View, -1);
        for (int t = 0; t < n; t++) {
            floatView[t] = g.tensor(t).type() == DataType.FLOAT32 ? t : -1;
            floatActivation[t] =
                    g.tensor(t).type() == DataType.FLOAT32 && !g.tensor(t).isConstant();
        }
        for (int i = 0; i < sourceOps.size(); i++) {
            for (int o : sourceOps.get(i).outputs()) {
                if (o >= 0) producer[o] = i;
            }
            for (int in : sourceOps.get(i).inputs()) {
                if (in >= 0) consumerCount[in]++;
            }
        }
        for (int t : g.inputs()) graphInput[t] = true;
        for (int t : g.outputs()) graphOutput[t] = true;
    }

    GraphEdit edit() {
        return edit;
    }

    /** Decides every op, fails in INT8_ONLY mode if any must stay float, then rewrites the graph. */
    List<OpReport> run() {
        decide();
        List<OpReport> reports = new ArrayList<>();
        for (int i = 0; i < sourceOps.size(); i++) {
            OpReport.Outcome outcome = switch (decisions[i]) {
                case QUANTIZE -> OpReport.Outcome.QUANTIZED;
                case FLOAT -> OpReport.Outcome.FLOAT_FALLBACK;
                case NOT_FLOAT -> OpReport.Outcome.NOT_FLOAT;
            };
            reports.add(new OpReport(i, sourceOps.get(i).displayName(), outcome, reasons[i], width[i]));
        }
        if (options.mode() == QuantizationMode.INT8_ONLY) {
            failOnFloatOps(reports);
        }
        adoptSharedScales();
        prepareInputs();
        for (int i = 0; i < sourceOps.size(); i++) {
            switch (decisions[i]) {
                case QUANTIZE -> rewriteQuantized(i);
                case FLOAT -> rewriteFloat(i);
                case NOT_FLOAT -> rewriteNotFloat(i);
            }
        }
        g.operators().clear();
        g.operators().addAll(rewritten);
        for (Operator op : rewritten) {
            if (versionToUpdate.contains(op)) {
                op.version(OpVersions.versionOf(op, g));
            }
        }
        return reports;
    }

    // ---- decisions ------------------------------------------------------------------------------------------

    private void decide() {
        java.util.BitSet keepFloat = OpSelection.resolve(g, sourceOps, options.keepFloat());
        java.util.BitSet int16 = options.mode() == QuantizationMode.INT16X8
                ? null
                : OpSelection.resolve(g, sourceOps, options.int16Ops());
        for (int i = 0; i < sourceOps.size(); i++) {
            Operator op = sourceOps.get(i);
            if (!touchesFloat(op)) {
                decisions[i] = Decision.NOT_FLOAT;
                continue;
            }
            OpRule rule = QuantizableOps.ruleFor(op.type());
            if (rule != null && rule.kind() == OpRule.Kind.TYPE_AGNOSTIC) {
                decisions[i] = Decision.NOT_FLOAT;
                continue;
            }
            String reason = rule == null
                    ? "no int8 kernel for " + op.displayName()
                    : keepFloat.get(i) ? KEPT_FLOAT : whyNotQuantizable(i, op, rule);
            decisions[i] = reason == null ? Decision.QUANTIZE : Decision.FLOAT;
            reasons[i] = reason;
            if (reason == null) {
                width[i] = DataType.INT8;
                if (int16 == null || int16.get(i)) {
                    String why = QuantizableOps.whyNotInt16(op.type());
                    if (why == null) {
                        width[i] = DataType.INT16;
                    } else {
                        reasons[i] = why + ": runs in int8";
                    }
                }
            }
        }
    }

    /** The rule op i is quantized by: its 16x8 rule when it runs in int16. */
    private OpRule ruleOf(int i) {
        OpType type = sourceOps.get(i).type();
        return width[i] == DataType.INT16 ? QuantizableOps.int16RuleFor(type) : QuantizableOps.ruleFor(type);
    }

    private boolean touchesFloat(Operator op) {
        for (int t : op.inputs()) {
            if (t >= 0 && g.tensor(t).type().isFloatingPoint() && !g.tensor(t).isConstant()) return true;
        }
        for (int t : op.outputs()) {
            if (t >= 0 && g.tensor(t).type().isFloatingPoint()) return true;
        }
        return false;
    }

    private String whyNotQuantizable(int i, Operator op, OpRule rule) {
        for (int o : op.outputs()) {
            Tensor t = g.tensor(o);
            if (t.type().isFloatingPoint() && t.type() != DataType.FLOAT32) {
                return "output '" + t.name() + "' is " + t.type();
            }
        }
        if (rule.kind() == OpRule.Kind.AFFINE) {
            String w = affineConstantsProblem(op);
            if (w != null) return w;
        }
        if (rule.kind() == OpRule.Kind.LSTM) {
            String problem = lstm.problem(op, consumerCount);
            if (problem != null) return problem;
            int in = op.input(LstmQuantization.INPUT);
            if (g.tensor(in).type() != DataType.FLOAT32 || g.tensor(in).isConstant()) {
                return "input '" + g.tensor(in).name() + "' is not a float32 activation";
            }
            return hasParamsSource(in, i) ? null : missingRange(in);
        }
        for (int j = 0; j < op.inputCount(); j++) {
            int t = op.input(j);
            if (t < 0 || (rule.kind() == OpRule.Kind.AFFINE && j > 0)) continue;
            Tensor tensor = g.tensor(t);
            if (!tensor.type().isFloatingPoint()) continue;
            if (tensor.isConstant()) {
                if (!Constants.readableAsFloats(tensor)) return "constant '" + tensor.name() + "' is " + tensor.type();
                continue;
            }
            if (tensor.type() != DataType.FLOAT32) return "input '" + tensor.name() + "' is " + tensor.type();
            if (!hasParamsSource(t, i)) return missingRange(t);
        }
        boolean outputNeedsRange = switch (rule.kind()) {
            case AFFINE, OWN_SCALE, SAME_SCALE_ALL -> true;
            default -> false;
        };
        if (outputNeedsRange) {
            for (int o : op.outputs()) {
                if (g.tensor(o).type() == DataType.FLOAT32 && ranges.rangeOf(o) == null) return missingRange(o);
            }
        }
        return null;
    }

    private String affineConstantsProblem(Operator op) {
        int w = op.input(1);
        if (w < 0 || !Constants.readableAsFloats(g.tensor(w))) {
            return "weights " + (w < 0 ? "missing" : "'" + g.tensor(w).name() + "' are not a float constant");
        }
        if (g.tensor(w).rank() != (op.type() == OpType.FULLY_CONNECTED ? 2 : 4)) {
            return "weights '" + g.tensor(w).name() + "' have rank "
                    + g.tensor(w).rank();
        }
        if (op.options() instanceof OpOptions.FullyConnected fc && fc.weightsFormat() != 0) {
            return "shuffled FULLY_CONNECTED weights";
        }
        int b = op.input(2);
        if (b >= 0 && !(g.tensor(b).isConstant() && g.tensor(b).type() == DataType.FLOAT32)) {
            return "bias '" + g.tensor(b).name() + "' is not a float32 constant";
        }
        return null;
    }

    /** Int8 parameters for this tensor will be known: a constant, an int8 producer, or a calibrated range. */
    private boolean hasParamsSource(int t, int consumer) {
        if (g.tensor(t).isConstant()) return true;
        int p = producer[t];
        if (p >= 0 && p < consumer && decisions[p] == Decision.QUANTIZE) return true;
        return ranges.rangeOf(t) != null;
    }

    private String missingRange(int t) {
        return "no calibration range for tensor '" + g.tensor(t).name() + "' (#" + t + ")";
    }

    private void failOnFloatOps(List<OpReport> reports) {
        List<OpReport> floats = reports.stream()
                .filter(r -> r.outcome() == OpReport.Outcome.FLOAT_FALLBACK)
                .toList();
        if (floats.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (OpReport r : floats) {
            Operator op = sourceOps.get(r.index());
            sb.append("  #")
                    .append(r.index())
                    .append(' ')
                    .append(r.opType())
                    .append(" inputs ")
                    .append(names(op.inputs()))
                    .append(" outputs ")
                    .append(names(op.outputs()))
                    .append(": ")
                    .append(r.reason())
                    .append('\n');
        }
        throw new UnquantizableOpsException(floats, sb.toString());
    }

    private String names(int[] tensors) {
        List<String> out = new ArrayList<>();
        for (int t : tensors) out.add(t < 0 ? "-" : "'" + g.tensor(t).name() + "'");
        return out.toString();
    }

    // ---- parameters -----------------------------------------------------------------------------------------

    /**
     * Ops whose inputs must share the output's scale (concatenation, max/min) take the output parameters for
     * inputs that an int8 op produces for them alone, as the converter propagates the result scale backwards;
     * other inputs are requantized.
     */
    private void adoptSharedScales() {
        for (int i = 0; i < sourceOps.size(); i++) {
            Operator op = sourceOps.get(i);
            if (decisions[i] != Decision.QUANTIZE || ruleOf(i).kind() != OpRule.Kind.SAME_SCALE_ALL) continue;
            QuantParams shared = QuantMath.activationParams(ranges.rangeOf(op.output(0)), width[i]);
            for (int t : op.inputs()) {
                if (t < 0 || g.tensor(t).isConstant() || g.tensor(t).type() != DataType.FLOAT32) continue;
                int p = producer[t];
                if (p < 0 || decisions[p] != Decision.QUANTIZE || consumerCount[t] != 1 || graphOutput[t]) continue;
                if (width[p] != width[i]) continue;
                OpRule.Kind kind = ruleOf(p).kind();
                if (kind == OpRule.Kind.AFFINE || kind == OpRule.Kind.OWN_SCALE) {
                    paramsTable(width[i])[t] = shared;
                }
            }
        }
    }

    private QuantParams[] paramsTable(DataType type) {
        return type == DataType.INT16 ? params16 : params;
    }

    private QuantParams paramsOf(int t) {
        return paramsOf(t, DataType.INT8);
    }

    /** The parameters source tensor t takes in the given integer type (computed once from its range). */
    private QuantParams paramsOf(int t, DataType type) {
        QuantParams[] table = paramsTable(type);
        if (table[t] == null) {
            Tensor tensor = g.tensor(t);
            Range r = tensor.isConstant() ? Range.of(Constants.finiteFloats(tensor)) : ranges.rangeOf(t);
            if (r == null) {
                throw new ModelInvalidException(missingRange(t) + ": it is a model input or output with an "
                        + "integer interface type, or feeds an integer op");
            }
            table[t] = QuantMath.activationParams(r, type);
        }
        return table[t];
    }

    // ---- interface ------------------------------------------------------------------------------------------

    private void prepareInputs() {
        for (int in : g.inputs()) {
            Tensor t = g.tensor(in);
            if (t.type() != DataType.FLOAT32 || options.inputType() == InterfaceType.FLOAT32) continue;
            QuantParams p = paramsOf(in);
            if (options.inputType() == InterfaceType.INT8) {
                t.type(DataType.INT8).quant(p);
                int8View[in] = in;
                floatView[in] = -1;
            } else {
                int t8 = edit.addLike(t, t.name() + "_int8", DataType.INT8, p);
                t.type(DataType.UINT8).quant(QuantMath.toUint8(p));
                emit(GraphEdit.quantizeOp(in, t8));
                int8View[in] = t8;
                floatView[in] = -1;
                edit.note(t8, TensorReport.Role.ACTIVATION, ranges.rangeOf(in), in);
            }
            edit.note(in, TensorReport.Role.ACTIVATION, ranges.rangeOf(in), in);
        }
    }

    // ---- rewriting ------------------------------------------------------------------------------------------

    private void emit(Operator op) {
        rewritten.add(op);
        versionToUpdate.add(op);
    }

    private void rewriteNotFloat(int i) {
        Operator op = sourceOps.get(i);
        int[] inputs = op.inputs();
        for (int j = 0; j < inputs.length; j++) {
            int t = inputs[j];
            if (t >= 0 && t < sourceTensorCount && floatActivation[t]) {
                inputs[j] = int8View[t] >= 0 ? int8View[t] : floatViewOf(t);
            }
        }
        rewritten.add(op.inputs(inputs));
    }

    private void rewriteFloat(int i) {
        Operator op = sourceOps.get(i);
        int[] inputs = op.inputs();
        for (int j = 0; j < inputs.length; j++) {
            int t = inputs[j];
            if (t >= 0 && t < sourceTensorCount && floatActivation[t]) {
                inputs[j] = floatViewOf(t);
            }
        }
        int[] outputs = op.outputs();
        List<Operator> after = new ArrayList<>();
        for (int k = 0; k < outputs.length; k++) {
            int o = outputs[k];
            if (o < 0 || g.tensor(o).type() != DataType.FLOAT32) continue;
            if (graphOutput[o] && options.outputType() != InterfaceType.FLOAT32) {
                Tensor t = g.tensor(o);
                int tf = edit.addLike(t, t.name() + "_float", DataType.FLOAT32, null);
                outputs[k] = tf;
                floatView[o] = tf;
                QuantParams p = paramsOf(o);
                boolean int8 = options.outputType() == InterfaceType.INT8;
                t.type(int8 ? DataType.INT8 : DataType.UINT8).quant(int8 ? p : QuantMath.toUint8(p));
                int8View[o] = int8 ? o : -1;
                edit.note(o, TensorReport.Role.ACTIVATION, ranges.rangeOf(o), o);
                after.add(GraphEdit.quantizeOp(tf, o));
            } else {
                floatView[o] = o;
            }
        }
        rewritten.add(op.inputs(inputs).outputs(outputs));
        after.forEach(this::emit);
    }

    private int floatViewOf(int t) {
        if (floatView[t] >= 0) return floatView[t];
        int base = int8View[t];
        if (base < 0) {
            throw new IllegalStateException("tensor '" + g.tensor(t).name() + "' has no value yet");
        }
        Tensor source = g.tensor(t);
        int f = edit.addLike(source, source.name() + "_dequantized", DataType.FLOAT32, null);
        emit(GraphEdit.dequantizeOp(base, f));
        floatView[t] = f;
        return f;
    }

    /**
     * The integer tensor of {@code type} holding source tensor {@code t} with exactly these parameters (adding
     * QUANTIZE ops as needed; int8 to int16 goes through the float view, as TFLite cannot widen directly).
     */
    private int intViewOf(int t, QuantParams required, DataType type) {
        int base = int8View[t];
        Tensor source = g.tensor(t);
        if (base < 0) {
            QuantParams p = paramsOf(t, type);
            base = edit.addLike(source, source.name() + suffix(type), type, p);
            emit(GraphEdit.quantizeOp(floatViewOf(t), base));
            int8View[t] = base;
            edit.note(base, TensorReport.Role.ACTIVATION, ranges.rangeOf(t), t);
        }
        Tensor b = g.tensor(base);
        if (b.type() == type && b.quant().equals(required)) return base;
        String key = t + "@" + type + "@" + required.scale()[0] + "/" + required.zeroPoint(0);
        Integer cached = requantized.get(key);
        if (cached != null) return cached;
        int from = b.type() == DataType.INT8 && type == DataType.INT16 ? floatViewOf(t) : base;
        String name = source.name() + (b.type() == type ? "_requantized" : suffix(type));
        int rq = edit.addLike(source, name, type, required);
        emit(GraphEdit.quantizeOp(from, rq));
        edit.note(rq, TensorReport.Role.ACTIVATION, QuantMath.representableRange(required, type), t);
        requantized.put(key, rq);
        return rq;
    }

    private static String suffix(DataType type) {
        return type == DataType.INT16 ? "_int16" : "_int8";
    }

    private void rewriteQuantized(int i) {
        Operator op = sourceOps.get(i);
        OpRule rule = ruleOf(i);
        DataType type = width[i];
        int[] inputs = op.inputs();
        QuantParams outParams = rule.kind() == OpRule.Kind.LSTM ? lstm.outputParams(op) : outputParams(op, rule, type);

        if (rule.kind() == OpRule.Kind.LSTM) {
            inputs[0] = activationInput(op.input(0), paramsOf(op.input(0)), DataType.INT8);
            lstm.rewrite(op, inputs, g.tensor(inputs[0]).quant().scale()[0], outParams);
        } else if (rule.kind() == OpRule.Kind.AFFINE) {
            inputs[0] = activationInput(op.input(0), paramsOf(op.input(0), type), type);
            float inputScale = g.tensor(inputs[0]).quant().scale()[0];
            int[] wb = quantizeWeightsAndBias(op, inputScale, type);
            inputs[1] = wb[0];
            if (op.input(2) >= 0) inputs[2] = wb[1];
        } else {
            for (int j = 0; j < inputs.length; j++) {
                int t = inputs[j];
                if (t < 0
                        || !(floatActivation[t]
                                || Constants.readableAsFloats(g.tensor(t))
                                        && g.tensor(t).type().isFloatingPoint())) {
                    continue;
                }
                QuantParams required = switch (rule.kind()) {
                    case SAME_SCALE_ALL -> outParams;
                    case SAME_SCALE -> j == 0 ? paramsOf(t, type) : outParams;
                    default -> paramsOf(t, type);
                };
                inputs[j] = activationInput(t, required, type);
            }
        }
        if (type == DataType.INT16 && op.options() instanceof OpOptions.Arithmetic a && a.potScaleInt16()) {
            // ADD/SUB: the schema's default asks for power-of-two int16 scales; ours are general (as the converter's).
            op.options(new OpOptions.Arithmetic(a.activation(), false));
        }

        int[] outputs = op.outputs();
        List<Operator> after = new ArrayList<>();
        for (int k = 0; k < outputs.length; k++) {
            int o = outputs[k];
            if (o < 0 || g.tensor(o).type() != DataType.FLOAT32) continue;
            paramsTable(type)[o] = outParams;
            Tensor t = g.tensor(o);
            boolean interfaceInOwnType = type == DataType.INT8 && options.outputType() == InterfaceType.INT8;
            if (graphOutput[o] && !interfaceInOwnType) {
                int tq = edit.addLike(t, t.name() + suffix(type), type, outParams);
                outputs[k] = tq;
                int8View[o] = tq;
                edit.note(tq, TensorReport.Role.ACTIVATION, ranges.rangeOf(o), o);
                if (options.outputType() == InterfaceType.FLOAT32) {
                    after.add(GraphEdit.dequantizeOp(tq, o));
                    floatView[o] = o;
                } else {
                    int from = tq;
                    QuantParams p8 = type == DataType.INT8 ? outParams : paramsOf(o);
                    if (type == DataType.INT16 && options.outputType() == InterfaceType.UINT8) {
                        // TFLite requantizes int16 to int8 but not to uint8: narrow in two steps.
                        from = edit.addLike(t, t.name() + "_int8", DataType.INT8, p8);
                        after.add(GraphEdit.quantizeOp(tq, from));
                    }
                    boolean int8 = options.outputType() == InterfaceType.INT8;
                    t.quant(int8 ? p8 : QuantMath.toUint8(p8)).type(int8 ? DataType.INT8 : DataType.UINT8);
                    edit.note(o, TensorReport.Role.ACTIVATION, ranges.rangeOf(o), o);
                    after.add(GraphEdit.quantizeOp(from, o));
                    floatView[o] = -1;
                }
            } else {
                t.type(type).quant(outParams);
                int8View[o] = o;
                floatView[o] = -1;
                edit.note(o, TensorReport.Role.ACTIVATION, ranges.rangeOf(o), o);
            }
        }
        emit(op.inputs(inputs).outputs(outputs));
        after.forEach(this::emit);
    }

    private QuantParams outputParams(Operator op, OpRule rule, DataType type) {
        int o = op.output(0);
        return switch (rule.kind()) {
            case FIXED_OUTPUT -> QuantParams.perTensor(rule.fixedScale(), rule.fixedZeroPoint());
            case SAME_SCALE -> paramsOf(op.input(0), type);
            case SAME_SCALE_ALL -> QuantMath.activationParams(ranges.rangeOf(o), type);
            default ->
                paramsTable(type)[o] != null
                        ? paramsTable(type)[o]
                        : QuantMath.activationParams(ranges.rangeOf(o), type);
        };
    }

    /** An activation operand: constants get a quantized copy, tensors an integer view with the required parameters. */
    private int activationInput(int t, QuantParams required, DataType type) {
        Tensor tensor = g.tensor(t);
        if (!tensor.isConstant()) return intViewOf(t, required, type);
        float[] values = Constants.finiteFloats(tensor);
        byte[] data = type == DataType.INT16
                ? TensorData.of(Constants.quantizeInt16(values, required))
                : Constants.quantizeAsymmetric(values, required);
        int q = edit.addConstant(tensor.name(), type, tensor.shape(), data, required);
        edit.note(q, TensorReport.Role.CONSTANT, Range.of(values), t);
        return q;
    }

    /**
     * Symmetric int8 weights (per channel for convolutions) and int32 bias with scale input x weight. Where a
     * bias would exceed INT32_MAX/2 steps, its scale is raised to |bias|/(INT32_MAX/2) and the weight scale
     * follows (bias scale / input scale), as the converter does for channels with near-zero weights.
     */
    private int[] quantizeWeightsAndBias(Operator op, float inputScale, DataType activations) {
        boolean wide = activations == DataType.INT16;
        Tensor w = g.tensor(op.input(1));
        float[] weights = Constants.finiteFloats(w);
        int[] shape = w.shape();
        int axis = switch (op.type()) {
            case CONV_2D -> 0;
            case DEPTHWISE_CONV_2D -> 3;
            default -> options.perChannelFullyConnected() ? 0 : -1;
        };
        double[] maxAbs = QuantMath.maxAbs(weights, shape, axis);
        float[] scales = new float[maxAbs.length];
        for (int c = 0; c < scales.length; c++) {
            scales[c] = QuantMath.symmetricScale(maxAbs[c]);
        }
        int biasIndex = op.input(2);
        float[] bias = biasIndex >= 0
                ? Constants.requireFinite(
                        g.tensor(biasIndex),
                        TensorData.floats(g.tensor(biasIndex).data()))
                : null;
        float[] biasScales = new float[scales.length];
        for (int c = 0; c < scales.length; c++) {
            double biasScale = QuantMath.biasScale(inputScale, scales[c]);
            double largest = 0;
            if (bias != null) {
                if (axis < 0) {
                    for (float b : bias) largest = Math.max(largest, Math.abs(b));
                } else {
                    largest = Math.abs(bias[c]);
                }
            }
            boolean overflows =
                    axis < 0 ? largest / biasScale >= QuantMath.BIAS_MAX : largest / biasScale > QuantMath.BIAS_MAX;
            if (bias != null && overflows && !wide) { // an int64 bias (16x8) has room to spare
                biasScale = largest / QuantMath.BIAS_MAX;
                scales[c] = (float) (biasScale / inputScale);
            }
            biasScales[c] = (float) biasScale;
        }
        QuantParams wq = axis < 0 ? QuantParams.perTensor(scales[0], 0) : QuantParams.perChannel(scales, axis);
        int wi = edit.addConstant(
                w.name(), DataType.INT8, shape, QuantMath.quantizeWeights(weights, shape, axis, scales), wq);
        edit.note(wi, TensorReport.Role.WEIGHT, Range.of(weights), op.input(1));
        int bi = -1;
        if (bias != null) {
            Tensor b = g.tensor(biasIndex);
            QuantParams bq = axis < 0 ? QuantParams.perTensor(biasScales[0], 0) : QuantParams.perChannel(biasScales, 0);
            bi = wide
                    ? edit.addConstant(
                            b.name(),
                            DataType.INT64,
                            b.shape(),
                            TensorData.of(QuantMath.quantizeBias64(bias, biasScales)),
                            bq)
                    : edit.addConstant(
                            b.name(),
                            DataType.INT32,
                            b.shape(),
                            TensorData.of(QuantMath.quantizeBias(bias, biasScales)),
                            bq);
            edit.note(bi, TensorReport.Role.BIAS, Range.of(bias), biasIndex);
        }
        return new int[] {wi, bi};
    }
}
