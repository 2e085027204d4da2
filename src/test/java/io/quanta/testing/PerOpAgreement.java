package io.quanta.testing;

import io.quanta.graph.DataType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.KernelRegistry;
import io.quanta.tflite.ModelReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Op-by-op agreement of Quanta's kernels with TFLite 2.21's builtin kernels (no delegate, every tensor preserved):
 * each op runs alone in Quanta on the inputs TFLite computed for it, so that differences do not compound, and its
 * output is compared element for element (integer outputs in steps, float outputs in value).
 */
public final class PerOpAgreement {
    private PerOpAgreement() {}

    /** One op's figures over every sample: elements compared, identical, largest difference. */
    public record Op(int index, String name, DataType output, long elements, long identical, double maxDiff) {
        public boolean exact() {
            return identical == elements;
        }

        @Override
        public String toString() {
            return String.format(
                    "op %d %s -> %s: %d/%d identical, max diff %s", index, name, output, identical, elements, maxDiff);
        }
    }

    /** Runs every sample (raw little-endian bytes per model input) through both and compares each op's output 0. */
    public static List<Op> compare(Path model, KernelRegistry kernels, List<List<byte[]>> samples) {
        Subgraph graph = ModelReader.read(model).mainGraph();
        int ops = graph.operators().size();
        Interpreter[] single = new Interpreter[ops];
        for (int n = 0; n < ops; n++) {
            Operator op = graph.operators().get(n);
            int[] ins = Arrays.stream(op.inputs())
                    .filter(t -> t >= 0
                            && !graph.tensor(t).isConstant()
                            && !graph.tensor(t).isVariable())
                    .toArray();
            single[n] =
                    new Interpreter(new Subgraph("op" + n, graph.tensors(), List.of(op), ins, op.outputs()), kernels);
        }
        long[] total = new long[ops];
        long[] same = new long[ops];
        double[] worst = new double[ops];
        try (TfLiteRuntime probe = TfLiteRuntime.preservingAllTensors(model, false)) {
            for (List<byte[]> sample : samples) {
                for (int i = 0; i < sample.size(); i++) probe.setInput(i, sample.get(i));
                probe.resetVariables();
                probe.invoke();
                for (int n = 0; n < ops; n++) {
                    Interpreter one = single[n];
                    one.resetVariables();
                    for (int i = 0; i < one.inputCount(); i++) {
                        SingleOpModels.fill(
                                one.input(i), probe.tensor(one.graph().inputs()[i]));
                    }
                    one.invoke();
                    double[] e = values(
                            graph.tensor(graph.operators().get(n).output(0)).type(),
                            probe.tensor(graph.operators().get(n).output(0)));
                    double[] g = values(one.output(0).type, SingleOpModels.toBytes(one.output(0)));
                    for (int k = 0; k < e.length; k++) {
                        total[n]++;
                        double d = Math.abs(e[k] - g[k]);
                        if (e[k] == g[k] || (Double.isNaN(e[k]) && Double.isNaN(g[k]))) same[n]++;
                        else worst[n] = Math.max(worst[n], Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                    }
                }
            }
        }
        List<Op> out = new ArrayList<>();
        for (int n = 0; n < ops; n++) {
            Operator op = graph.operators().get(n);
            out.add(new Op(n, op.displayName(), graph.tensor(op.output(0)).type(), total[n], same[n], worst[n]));
        }
        return out;
    }

    private static double[] values(DataType type, byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int n = raw.length / type.byteSize();
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = switch (type) {
                case FLOAT32 -> b.getFloat(4 * k);
                case INT8 -> raw[k];
                case UINT8 -> raw[k] & 0xff;
                case INT16 -> b.getShort(2 * k);
                case INT32 -> b.getInt(4 * k);
                case INT64 -> b.getLong(8 * k);
                default -> throw new IllegalArgumentException("cannot compare " + type);
            };
        }
        return v;
    }
}
