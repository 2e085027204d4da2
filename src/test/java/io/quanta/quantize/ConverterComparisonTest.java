package io.quanta.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.testing.QuantaVsTfLite;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our quantizer against the TensorFlow converter: each float model of ../shared/models/float with an int8
 * counterpart in ../shared/models/int8_ref is quantized with the reference model's own activation ranges
 * (recovered from its scales and zero points); weights, weight scales and biases must then agree.
 */
class ConverterComparisonTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tiny_vww_96",
                "tiny_ic_resnet8",
                "tiny_ic_resnet8_large",
                "ethosu85_mnist_cnn",
                "tflm_mnist_lstm",
                "tiny_kws_dscnn"
            })
    void weightsScalesAndBiasesMatchTheConverter(String name) throws IOException {
        Path floatFile = SharedAssets.floatModel(floatName(name));
        Path refFile = SharedAssets.int8RefModel(name + "_int8.tflite");
        Model source = ModelReader.read(floatFile);
        Model ref = ModelReader.read(refFile);
        Subgraph fg = source.mainGraph();
        Subgraph rg = ref.mainGraph();
        List<Operator> refOps = withoutQuantizeOps(rg.operators());
        assertEquals(fg.operators().size(), refOps.size(), name + ": op count");

        Map<Integer, Range> ranges = new HashMap<>();
        for (int i = 0; i < refOps.size(); i++) {
            Operator f = fg.operators().get(i);
            Operator r = refOps.get(i);
            assertEquals(f.type(), r.type(), name + " op " + i);
            collect(ranges, fg, f.inputs(), rg, r.inputs());
            collect(ranges, fg, f.outputs(), rg, r.outputs());
        }
        QuantizationOptions options = QuantizationOptions.defaults()
                .withInputType(interfaceType(rg.inputTensor(0)))
                .withOutputType(interfaceType(rg.outputTensor(0)))
                .withPerChannelFullyConnected(hasPerChannelFullyConnected(refOps, rg));
        QuantizationResult result = Quantizer.quantize(source, TensorRanges.of(ranges), options);
        Subgraph qg = result.model().mainGraph();
        List<Operator> ours = withoutQuantizeOps(qg.operators());
        assertEquals(refOps.size(), ours.size(), name + ": our op count");

        int weightsCompared = 0;
        int maxWeightDiff = 0;
        double maxScaleRel = 0;
        long maxBiasDiff = 0;
        int deadChannels = 0;
        double maxDeadBiasRel = 0;
        int activationsCompared = 0;
        int activationMismatches = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            Operator o = ours.get(i);
            Operator r = refOps.get(i);
            for (int k = 0; k < o.outputCount(); k++) {
                Tensor ot = qg.tensor(o.output(k));
                Tensor rt = rg.tensor(r.output(k));
                if (rt.isQuantized() && ot.isQuantized() && rt.type() == DataType.INT8) {
                    activationsCompared++;
                    if (!sameParams(ot.quant(), rt.quant())) {
                        activationMismatches++;
                        problems.add("op " + i + " " + o.type() + " output '" + ot.name() + "': ours " + ot.quant()
                                + " converter " + rt.quant());
                    }
                }
            }
            if (o.type() != OpType.CONV_2D
                    && o.type() != OpType.DEPTHWISE_CONV_2D
                    && o.type() != OpType.FULLY_CONNECTED) {
                continue;
            }
            Tensor ow = qg.tensor(o.input(1));
            Tensor rw = rg.tensor(r.input(1));
            if (ow.type() != DataType.INT8) {
                problems.add("op " + i + " " + o.type() + " stayed float");
                continue;
            }
            weightsCompared++;
            float[] os = ow.quant().scale();
            float[] rs = rw.quant().scale();
            assertEquals(rs.length, os.length, name + " op " + i + " scale count");
            assertEquals(rw.quant().quantizedDimension(), ow.quant().quantizedDimension(), name + " op " + i + " axis");
            boolean[] dead = deadChannels(fg.tensor(fg.operators().get(i).input(1)), ow.quant());
            int[] ob = o.input(2) >= 0 ? TensorData.ints(qg.tensor(o.input(2)).data()) : null;
            int[] rb = o.input(2) >= 0 ? TensorData.ints(rg.tensor(r.input(2)).data()) : null;
            float[] floatBias = o.input(2) >= 0
                    ? TensorData.floats(
                            fg.tensor(fg.operators().get(i).input(2)).data())
                    : null;
            for (int c = 0; c < os.length; c++) {
                if (dead[c]) {
                    // All-zero weights: the scale is a convention (converter versions differ: tiny scale, or
                    // the scale that puts the bias at 2^30); what matters is that the bias survives.
                    deadChannels++;
                    if (ob != null) {
                        double oursValue =
                                ob[c] * (double) qg.tensor(o.input(2)).quant().scale(c);
                        double theirs =
                                rb[c] * (double) rg.tensor(r.input(2)).quant().scale(c);
                        maxDeadBiasRel =
                                Math.max(maxDeadBiasRel, Math.abs(oursValue - floatBias[c]) / Math.abs(floatBias[c]));
                        maxDeadBiasRel =
                                Math.max(maxDeadBiasRel, Math.abs(theirs - floatBias[c]) / Math.abs(floatBias[c]));
                    }
                    continue;
                }
                double rel = Math.abs(os[c] - rs[c]) / rs[c];
                maxScaleRel = Math.max(maxScaleRel, rel);
                if (ob != null) {
                    maxBiasDiff = Math.max(
                            maxBiasDiff,
                            Math.abs((long) ob[c == 0 || ob.length > 1 ? c : 0] - rb[c == 0 || rb.length > 1 ? c : 0]));
                }
            }
            if (ob != null && os.length == 1) {
                for (int e = 0; e < ob.length; e++) {
                    maxBiasDiff = Math.max(maxBiasDiff, Math.abs((long) ob[e] - rb[e]));
                }
            }
            byte[] oq = ow.data();
            byte[] rq = rw.data();
            for (int e = 0; e < oq.length; e++) {
                maxWeightDiff = Math.max(maxWeightDiff, Math.abs(oq[e] - rq[e]));
            }
        }
        Path out = tmp.resolve(name + "_quanta_int8.tflite");
        ModelWriter.write(result.model(), out);
        double ratio = (double) Files.size(out) / Files.size(floatFile);
        System.out.printf(
                "%-22s weights compared %d, max |dq| %d, max weight-scale rel diff %.2e, max bias diff %d,"
                        + " activations equal %d/%d, dead channels %d (bias rel err %.1e), size %d B = %.3fx float"
                        + " (converter %.3fx)%n",
                name,
                weightsCompared,
                maxWeightDiff,
                maxScaleRel,
                maxBiasDiff,
                activationsCompared - activationMismatches,
                activationsCompared,
                deadChannels,
                maxDeadBiasRel,
                Files.size(out),
                ratio,
                (double) Files.size(refFile) / Files.size(floatFile));
        problems.stream().limit(12).forEach(p -> System.out.println("    " + p));

        QuantaVsTfLite.assertAgree(name, out, 7);
        assertTrue(weightsCompared > 0, name + ": no weights compared");
        if (!name.equals("tiny_kws_dscnn")) {
            assertTrue(maxWeightDiff <= 1, name + ": int8 weights differ by " + maxWeightDiff);
            assertTrue(maxScaleRel <= 1e-6, name + ": weight scales differ by " + maxScaleRel + " relative");
            assertTrue(maxBiasDiff <= 1, name + ": int32 biases differ by " + maxBiasDiff);
            assertTrue(maxDeadBiasRel <= 1e-5, name + ": bias of an all-zero channel off by " + maxDeadBiasRel);
        }
        if (name.equals("tiny_vww_96")) {
            assertTrue(ratio <= 0.35, "tiny_vww_96 int8 is " + ratio + "x its float file");
        } else if (Files.size(floatFile) > 100_000) {
            assertTrue(ratio <= 0.4, name + " int8 is " + ratio + "x its float file");
        }
    }

    /** Channels (along the quantized axis) whose float weights are all ~0. */
    private static boolean[] deadChannels(Tensor floatWeights, QuantParams ours) {
        float[] w = Constants.floats(floatWeights);
        int axis = ours.isPerChannel() ? ours.quantizedDimension() : -1;
        double[] maxAbs = QuantMath.maxAbs(w, floatWeights.shape(), axis);
        boolean[] dead = new boolean[maxAbs.length];
        for (int c = 0; c < dead.length; c++) dead[c] = 2 * maxAbs[c] <= 1e-6;
        return dead;
    }

    private static String floatName(String name) {
        return name.equals("tiny_kws_dscnn") ? "tiny_kws_dscnn_hybrid_float.tflite" : name + "_float.tflite";
    }

    static List<Operator> withoutQuantizeOps(List<Operator> ops) {
        return ops.stream()
                .filter(o -> o.type() != OpType.QUANTIZE && o.type() != OpType.DEQUANTIZE)
                .toList();
    }

    /**
     * Float activation tensors of our model take the range the converter's int8 parameters represent (for
     * int16 tensors, the LSTM cell state, the symmetric range +-32767 steps).
     */
    static void collect(Map<Integer, Range> ranges, Subgraph fg, int[] floatTensors, Subgraph rg, int[] refTensors) {
        for (int j = 0; j < Math.min(floatTensors.length, refTensors.length); j++) {
            int f = floatTensors[j];
            int r = refTensors[j];
            if (f < 0 || r < 0) continue;
            Tensor ft = fg.tensor(f);
            Tensor rt = rg.tensor(r);
            if (ft.type() != DataType.FLOAT32 || ft.isConstant() || !rt.isQuantized()) continue;
            if (rt.type() == DataType.INT16) {
                double step = rt.quant().scale()[0];
                ranges.put(f, new Range((float) (-32767 * step), (float) (32767 * step)));
                continue;
            }
            if (rt.type() != DataType.INT8 && rt.type() != DataType.UINT8) continue;
            QuantParams q = rt.quant();
            long zp = q.zeroPoint(0) - (rt.type() == DataType.UINT8 ? 128 : 0);
            double s = q.scale()[0];
            ranges.put(f, new Range((float) ((-128 - zp) * s), (float) ((127 - zp) * s)));
        }
    }

    private static InterfaceType interfaceType(Tensor t) {
        return switch (t.type()) {
            case INT8 -> InterfaceType.INT8;
            case UINT8 -> InterfaceType.UINT8;
            default -> InterfaceType.FLOAT32;
        };
    }

    private static boolean hasPerChannelFullyConnected(List<Operator> ops, Subgraph g) {
        return ops.stream()
                .anyMatch(o -> o.type() == OpType.FULLY_CONNECTED
                        && g.tensor(o.input(1)).isQuantized()
                        && g.tensor(o.input(1)).quant().isPerChannel());
    }

    private static boolean sameParams(QuantParams a, QuantParams b) {
        return a.zeroPoint(0) == b.zeroPoint(0) && Math.abs(a.scale()[0] - b.scale()[0]) <= 1e-6 * b.scale()[0];
    }
}
