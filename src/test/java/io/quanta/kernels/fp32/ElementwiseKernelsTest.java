package io.quanta.kernels.fp32;

import static io.quanta.testing.TestGraph.assertClose;
import static io.quanta.testing.TestGraph.random;
import static io.quanta.testing.TestGraph.size;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.testing.TestGraph;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Element-wise, softmax-family, matmul and resize kernels against direct formulas. */
class ElementwiseKernelsTest {
    private final Random random = new Random(7);

    static int[] parse(String s) {
        return s.isBlank()
                ? new int[0]
                : Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    /** Index into a right-aligned broadcast input for an output coordinate. */
    static int sourceIndex(int[] out, int[] coord, int[] in) {
        int index = 0;
        int stride = 1;
        for (int d = in.length - 1; d >= 0; d--) {
            int od = d + out.length - in.length;
            index += (in[d] == 1 ? 0 : coord[od]) * stride;
            stride *= in[d];
        }
        return index;
    }

    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int da = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1;
            int db = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            out[d] = Math.max(da, db);
        }
        return out;
    }

    static double[] expectBinary(int[] sa, double[] a, int[] sb, double[] b, DoubleBinaryOperator f) {
        int[] out = broadcastShape(sa, sb);
        double[] r = new double[size(out)];
        int[] coord = new int[out.length];
        for (int i = 0; i < r.length; i++) {
            int rest = i;
            for (int d = out.length - 1; d >= 0; d--) {
                coord[d] = rest % out[d];
                rest /= out[d];
            }
            r[i] = f.applyAsDouble(a[sourceIndex(out, coord, sa)], b[sourceIndex(out, coord, sb)]);
        }
        return r;
    }

    static DoubleBinaryOperator floatOp(OpType t) {
        return switch (t) {
            case ADD -> (x, y) -> (float) x + (float) y;
            case SUB -> (x, y) -> (float) x - (float) y;
            case MUL -> (x, y) -> (float) x * (float) y;
            case DIV -> (x, y) -> (float) x / (float) y;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
            case SQUARED_DIFFERENCE -> (x, y) -> (x - y) * (x - y);
            case FLOOR_MOD -> (x, y) -> x - Math.floor(x / y) * y;
            default -> throw new IllegalArgumentException(t.name());
        };
    }

    @ParameterizedTest(name = "{0} {1} with {2} {3}")
    @CsvSource({
        "ADD, 2x3x4, 2x3x4, RELU",
        "ADD, 2x3x4, 4, NONE",
        "ADD, 1x5x1x3, 2x1x4x1, RELU6",
        "SUB, 3x1, 1x4, NONE",
        "SUB, '', 2x3, RELU_N1_TO_1",
        "MUL, 2x1x3x1x2x2, 1x4x1x5x1x2, NONE",
        "MUL, 4x3, 3, RELU",
        "DIV, 2x3x4, 1x3x1, NONE",
        "DIV, 5, '', RELU6",
        "MAXIMUM, 2x3, 3, NONE",
        "MINIMUM, 2x1x3, 4x1, NONE",
        "SQUARED_DIFFERENCE, 3x4, 3x1, NONE",
        "FLOOR_MOD, 2x5, 5, NONE",
        "FLOOR_MOD, 2x5, 2x5, NONE",
    })
    void floatBinary(OpType type, String shapeA, String shapeB, Activation act) {
        int[] sa = parse(shapeA);
        int[] sb = parse(shapeB);
        float[] a = random(random, size(sa), -4, 4);
        float[] b = random(random, size(sb), -4, 4);
        if (type == OpType.DIV || type == OpType.FLOOR_MOD) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (b[i] < 0 ? -0.5f : 0.5f) + b[i]; // keep divisors away from zero
            }
        }
        TestGraph g = new TestGraph();
        int ia = g.floatInput(sa, a);
        int ib = g.floatInput(sb, b);
        boolean fused = type == OpType.ADD || type == OpType.SUB || type == OpType.MUL || type == OpType.DIV;
        TensorValue out = g.run(type, fused ? new OpOptions.Arithmetic(act, false) : null, new int[] {ia, ib});
        double[] da = new double[a.length];
        double[] db = new double[b.length];
        for (int i = 0; i < a.length; i++) {
            da[i] = a[i];
        }
        for (int i = 0; i < b.length; i++) {
            db[i] = b[i];
        }
        double[] e = expectBinary(sa, da, sb, db, floatOp(type));
        float[] expected = new float[e.length];
        for (int i = 0; i < e.length; i++) {
            expected[i] = (float) Math.min(Math.max(e[i], act.floatMin()), act.floatMax());
        }
        assertClose(broadcastShape(sa, sb), expected, out);
    }

    @ParameterizedTest(name = "int32 {0} {1} with {2} {3}")
    @CsvSource({
        "ADD, 2x3, 3, RELU",
        "SUB, 2x3, 2x1, NONE",
        "MUL, 3x1x2, 4x1, RELU6",
        "MAXIMUM, 2x3, 3, NONE",
        "MINIMUM, 2x3, '', NONE",
        "FLOOR_MOD, 2x4, 4, NONE",
    })
    void int32Binary(OpType type, String shapeA, String shapeB, Activation act) {
        int[] sa = parse(shapeA);
        int[] sb = parse(shapeB);
        int[] a = random.ints(size(sa), -20, 20).toArray();
        int[] b = random.ints(size(sb), -7, 7).map(v -> v == 0 ? 3 : v).toArray();
        TestGraph g = new TestGraph();
        int ia = g.intInput(sa, a);
        int ib = g.intInput(sb, b);
        boolean fused = type == OpType.ADD || type == OpType.SUB || type == OpType.MUL;
        TensorValue out =
                g.run(type, fused ? new OpOptions.Arithmetic(act, false) : null, new int[] {ia, ib}, DataType.INT32);
        IntBinaryOperator f = switch (type) {
            case ADD -> Integer::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
            case FLOOR_MOD -> Math::floorMod;
            default -> throw new IllegalArgumentException();
        };
        int lo = act == Activation.NONE ? Integer.MIN_VALUE : 0;
        int hi = act == Activation.RELU6 ? 6 : Integer.MAX_VALUE;
        double[] da = Arrays.stream(a).asDoubleStream().toArray();
        double[] db = Arrays.stream(b).asDoubleStream().toArray();
        double[] e = expectBinary(sa, da, sb, db, (x, y) -> f.applyAsInt((int) x, (int) y));
        assertArrayEquals(broadcastShape(sa, sb), out.shape());
        for (int i = 0; i < e.length; i++) {
            assertEquals(Math.min(Math.max((int) e[i], lo), hi), out.i[i], "element " + i);
        }
    }

    @Test
    void refusesShapesThatDoNotBroadcast() {
        TestGraph g = new TestGraph();
        int ia = g.floatInput(new int[] {2, 3}, new float[6]);
        int ib = g.floatInput(new int[] {4}, new float[4]);
        UnsupportedOpException e = assertThrows(
                UnsupportedOpException.class,
                () -> g.run(OpType.ADD, new OpOptions.Arithmetic(Activation.NONE, false), new int[] {ia, ib}));
        assertEquals(true, e.getMessage().contains("[2, 3] and [4]"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "LOGISTIC",
        "TANH",
        "RELU",
        "RELU_N1_TO_1",
        "RELU6",
        "LEAKY_RELU",
        "HARD_SWISH",
        "EXP",
        "LOG",
        "SQRT",
        "RSQRT"
    })
    void unary(OpType type) {
        boolean positive = type == OpType.LOG || type == OpType.SQRT || type == OpType.RSQRT;
        float[] x = random(random, 60, positive ? 0.01f : -8f, 8f);
        x[0] = positive ? 1f : 0f;
        DoubleUnaryOperator f = switch (type) {
            case LOGISTIC -> v -> 1 / (1 + Math.exp(-v));
            case TANH -> Math::tanh;
            case RELU -> v -> Math.max(0, v);
            case RELU_N1_TO_1 -> v -> Math.max(-1, Math.min(1, v));
            case RELU6 -> v -> Math.max(0, Math.min(6, v));
            case LEAKY_RELU -> v -> v > 0 ? v : 0.2 * v;
            case HARD_SWISH -> v -> v * Math.max(0, Math.min(6, v + 3)) / 6;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case SQRT -> Math::sqrt;
            case RSQRT -> v -> 1 / Math.sqrt(v);
            default -> throw new IllegalArgumentException();
        };
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {3, 4, 5}, x);
        TensorValue out = g.run(type, type == OpType.LEAKY_RELU ? new OpOptions.LeakyRelu(0.2f) : null, new int[] {in});
        assertArrayEquals(new int[] {3, 4, 5}, out.shape());
        for (int i = 0; i < x.length; i++) {
            double e = f.applyAsDouble(x[i]);
            assertEquals(e, out.f[i], 1e-6 * Math.max(1, Math.abs(e)), type + " at x=" + x[i]);
        }
    }

    @ParameterizedTest(name = "{0} shape {1}")
    @CsvSource({
        "SOFTMAX, 2x7, 1.0",
        "SOFTMAX, 2x3x5, 0.5",
        "SOFTMAX, 9, 2.0",
        "LOG_SOFTMAX, 3x6, 1.0",
        "LOG_SOFTMAX, 2x2x4, 1.0",
        "L2_NORMALIZATION, 3x5, 1.0",
        "L2_NORMALIZATION, 2x2x3, 1.0"
    })
    void lastAxis(OpType type, String shapeText, float beta) {
        int[] shape = parse(shapeText);
        float[] x = random(random, size(shape), -5, 5);
        int n = shape[shape.length - 1];
        if (type == OpType.L2_NORMALIZATION) {
            Arrays.fill(x, 0, n, 0f); // an all-zero row stays zero (epsilon guards the division)
        }
        TestGraph g = new TestGraph();
        int in = g.floatInput(shape, x);
        var options = switch (type) {
            case SOFTMAX -> new OpOptions.Softmax(beta);
            case L2_NORMALIZATION -> new OpOptions.L2Norm(Activation.NONE);
            default -> null;
        };
        TensorValue out = g.run(type, options, new int[] {in});
        float[] expected = new float[x.length];
        for (int off = 0; off < x.length; off += n) {
            double max = Double.NEGATIVE_INFINITY;
            double sumExp = 0;
            double sumSq = 0;
            for (int k = 0; k < n; k++) {
                max = Math.max(max, x[off + k]);
                sumSq += x[off + k] * (double) x[off + k];
            }
            for (int k = 0; k < n; k++) {
                sumExp += Math.exp((x[off + k] - max) * (type == OpType.SOFTMAX ? beta : 1));
            }
            for (int k = 0; k < n; k++) {
                double v = x[off + k];
                expected[off + k] = (float)
                        switch (type) {
                            case SOFTMAX -> Math.exp((v - max) * beta) / sumExp;
                            case LOG_SOFTMAX -> v - max - Math.log(sumExp);
                            default -> v / Math.max(Math.sqrt(sumSq), 1e-6);
                        };
            }
        }
        assertClose(shape, expected, out);
    }

    @ParameterizedTest(name = "batch matmul {0} x {1} adjX={2} adjY={3} constRhs={4}")
    @CsvSource({
        "3x4, 4x5, false, false, true",
        "2x3x4, 2x4x5, false, false, false",
        "2x4x3, 2x4x5, true, false, false",
        "2x3x4, 5x4, false, true, true",
        "2x1x3x4, 3x4x2, false, false, false",
        "2x1x4x3, 1x3x2x4, true, true, true",
    })
    void batchMatMul(String lhsShape, String rhsShape, boolean adjX, boolean adjY, boolean constantRhs) {
        int[] sa = parse(lhsShape);
        int[] sb = parse(rhsShape);
        float[] a = random(random, size(sa), -1, 1);
        float[] b = random(random, size(sb), -1, 1);
        TestGraph g = new TestGraph();
        int ia = g.floatInput(sa, a);
        int ib = constantRhs ? g.constFloats(sb, b) : g.floatInput(sb, b);
        TensorValue out = g.run(OpType.BATCH_MATMUL, new OpOptions.BatchMatMul(adjX, adjY, false), new int[] {ia, ib});
        int m = adjX ? sa[sa.length - 1] : sa[sa.length - 2];
        int k = adjX ? sa[sa.length - 2] : sa[sa.length - 1];
        int n = adjY ? sb[sb.length - 2] : sb[sb.length - 1];
        int[] batch = broadcastShape(Arrays.copyOf(sa, sa.length - 2), Arrays.copyOf(sb, sb.length - 2));
        int[] ba = Arrays.copyOf(sa, sa.length - 2);
        int[] bb = Arrays.copyOf(sb, sb.length - 2);
        int batches = size(batch);
        float[] expected = new float[batches * m * n];
        int[] coord = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            int rest = t;
            for (int d = batch.length - 1; d >= 0; d--) {
                coord[d] = rest % batch[d];
                rest /= batch[d];
            }
            int offA = sourceIndex(batch, coord, ba) * m * k;
            int offB = sourceIndex(batch, coord, bb) * k * n;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int q = 0; q < k; q++) {
                        float x = adjX ? a[offA + q * m + i] : a[offA + i * k + q];
                        float y = adjY ? b[offB + j * k + q] : b[offB + q * n + j];
                        acc += x * y;
                    }
                    expected[(t * m + i) * n + j] = (float) acc;
                }
            }
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        assertClose(outShape, expected, out);
    }

    @ParameterizedTest(name = "{0} {1}x{2} -> {3}x{4} align={5} half={6}")
    @CsvSource({
        "RESIZE_BILINEAR, 3, 4, 6, 8, false, false",
        "RESIZE_BILINEAR, 3, 4, 5, 7, true, false",
        "RESIZE_BILINEAR, 3, 4, 5, 7, false, true",
        "RESIZE_BILINEAR, 6, 6, 4, 3, false, false",
        "RESIZE_NEAREST_NEIGHBOR, 3, 4, 6, 8, false, false",
        "RESIZE_NEAREST_NEIGHBOR, 3, 4, 5, 7, true, false",
        "RESIZE_NEAREST_NEIGHBOR, 3, 4, 5, 7, false, true",
        "RESIZE_NEAREST_NEIGHBOR, 6, 5, 4, 3, true, true",
    })
    void resize(OpType type, int h, int w, int oh, int ow, boolean align, boolean half) {
        int n = 2, c = 3;
        float[] x = random(random, size(n, h, w, c), -1, 1);
        TestGraph g = new TestGraph();
        int in = g.floatInput(new int[] {n, h, w, c}, x);
        int size = g.constInts(new int[] {2}, new int[] {oh, ow});
        TensorValue out = g.run(type, new OpOptions.Resize(align, half), new int[] {in, size});
        double sy = align && oh > 1 ? (h - 1) / (double) (oh - 1) : h / (double) oh;
        double sx = align && ow > 1 ? (w - 1) / (double) (ow - 1) : w / (double) ow;
        float[] expected = new float[n * oh * ow * c];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    for (int ch = 0; ch < c; ch++) {
                        double v;
                        if (type == OpType.RESIZE_BILINEAR) {
                            double fy = half ? (y + 0.5) * sy - 0.5 : y * sy;
                            double fx = half ? (xx + 0.5) * sx - 0.5 : xx * sx;
                            int y0 = Math.max(0, (int) Math.floor(fy));
                            int y1 = Math.min(h - 1, (int) Math.ceil(fy));
                            int x0 = Math.max(0, (int) Math.floor(fx));
                            int x1 = Math.min(w - 1, (int) Math.ceil(fx));
                            double dy = fy - y0;
                            double dx = fx - x0;
                            v = x[((b * h + y0) * w + x0) * c + ch] * (1 - dy) * (1 - dx)
                                    + x[((b * h + y0) * w + x1) * c + ch] * (1 - dy) * dx
                                    + x[((b * h + y1) * w + x0) * c + ch] * dy * (1 - dx)
                                    + x[((b * h + y1) * w + x1) * c + ch] * dy * dx;
                        } else {
                            double off = half ? 0.5 : 0;
                            int iy = Math.min(
                                    h - 1, align ? (int) Math.round((y + off) * sy) : (int) Math.floor((y + off) * sy));
                            int ix = Math.min(
                                    w - 1,
                                    align ? (int) Math.round((xx + off) * sx) : (int) Math.floor((xx + off) * sx));
                            v = x[((b * h + Math.max(0, iy)) * w + Math.max(0, ix)) * c + ch];
                        }
                        expected[((b * oh + y) * ow + xx) * c + ch] = (float) v;
                    }
                }
            }
        }
        assertClose(new int[] {n, oh, ow, c}, expected, out);
    }
}
