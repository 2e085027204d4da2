package io.quanta.kernels.fp32;

import static io.quanta.kernels.fp32.TfLiteAgreement.check;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.QuantParams;
import io.quanta.graph.TensorData;
import io.quanta.testing.SingleOpModels;
import io.quanta.testing.SingleOpModels.Spec;
import io.quanta.testing.TestGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Each data-movement and reduction op against TFLite 2.21 on small hand-built models. */
class ShapeKernelsVsTfLiteTest {
    private static final OpOptions EMPTY = null; // ops whose options table has no fields

    @AfterAll
    static void printSummary() {
        System.out.println("Shape kernels vs TFLite 2.21:\n" + TfLiteAgreement.summary());
    }

    private static Spec f32(int... shape) {
        return Spec.of(DataType.FLOAT32, shape);
    }

    private static Spec i32(int... shape) {
        return Spec.of(DataType.INT32, shape);
    }

    private static Spec ints(int[] shape, int... v) {
        return Spec.ints(shape, v);
    }

    private static int[] s(int... d) {
        return d;
    }

    private static Model one(OpType type, OpOptions options, List<Spec> in, Spec out) {
        return SingleOpModels.single(type, options, in, List.of(out));
    }

    @Test
    void reshapeSqueezeExpandDims() {
        check(
                "RESHAPE const shape with -1",
                one(
                        OpType.RESHAPE,
                        new OpOptions.Reshape(new int[] {-1, 4}),
                        List.of(f32(2, 3, 4), ints(s(2), -1, 4)),
                        f32(6, 4)),
                1);
        check(
                "RESHAPE options only, int32",
                one(OpType.RESHAPE, new OpOptions.Reshape(new int[] {4, 3}), List.of(i32(3, 4)), i32(4, 3)),
                2);
        check(
                "SQUEEZE all",
                one(OpType.SQUEEZE, new OpOptions.Squeeze(new int[0]), List.of(f32(1, 3, 1, 2)), f32(3, 2)),
                3);
        check(
                "SQUEEZE -2",
                one(OpType.SQUEEZE, new OpOptions.Squeeze(new int[] {-2}), List.of(f32(1, 3, 1, 2)), f32(1, 3, 2)),
                4);
        check("EXPAND_DIMS -1", one(OpType.EXPAND_DIMS, EMPTY, List.of(f32(2, 3), ints(s(), -1)), f32(2, 3, 1)), 5);
        check(
                "EXPAND_DIMS 0 int32",
                one(OpType.EXPAND_DIMS, EMPTY, List.of(i32(2, 3), ints(s(1), 0)), i32(1, 2, 3)),
                6);
    }

    /** Keras' Flatten: the reshape target is computed at run time from SHAPE. */
    @Test
    void dynamicReshapeFedByShape() {
        TestGraph b = new TestGraph();
        int x = b.input(f32(2, 3, 4));
        int shape = b.tensor(i32(3));
        int batch = b.tensor(i32());
        int packed = b.tensor(i32(2));
        int y = b.output(f32(2, 12));
        b.markOutput(shape);
        b.op(OpType.SHAPE, new OpOptions.Shape(DataType.INT32), new int[] {x}, new int[] {shape});
        b.op(
                OpType.STRIDED_SLICE,
                new OpOptions.StridedSlice(0, 0, 0, 0, 1, false),
                new int[] {shape, b.tensor(ints(s(1), 0)), b.tensor(ints(s(1), 1)), b.tensor(ints(s(1), 1))},
                new int[] {batch});
        b.op(OpType.PACK, new OpOptions.Pack(2, 0), new int[] {batch, b.tensor(ints(s(), -1))}, new int[] {packed});
        b.op(OpType.RESHAPE, EMPTY, new int[] {x, packed}, new int[] {y});
        check("SHAPE->STRIDED_SLICE->PACK->RESHAPE", b.model(), 7);
    }

    @Test
    void shapeInt64() {
        check(
                "SHAPE int64",
                one(
                        OpType.SHAPE,
                        new OpOptions.Shape(DataType.INT64),
                        List.of(f32(2, 5, 1)),
                        Spec.of(DataType.INT64, 3)),
                8);
    }

    private static void stridedSlice(
            String what, int[] inShape, int[] begin, int[] end, int[] strides, OpOptions.StridedSlice o) {
        int n = begin.length;
        check(
                "STRIDED_SLICE " + what,
                one(
                        OpType.STRIDED_SLICE,
                        o,
                        List.of(f32(inShape), ints(s(n), begin), ints(s(n), end), ints(s(n), strides)),
                        f32(1)),
                9);
    }

    private static OpOptions.StridedSlice ss(
            int begin, int end, int ellipsis, int newAxis, int shrink, boolean offset) {
        return new OpOptions.StridedSlice(begin, end, ellipsis, newAxis, shrink, offset);
    }

    @Test
    void stridedSliceVariants() {
        stridedSlice("negative stride", s(3, 4), s(1, -1), s(3, 0), s(1, -1), ss(0, 0, 0, 0, 0, false));
        stridedSlice("begin/end masks", s(3, 4), s(2, 1), s(1, 3), s(1, 1), ss(1, 2, 0, 0, 0, false));
        stridedSlice("reverse by masks", s(5), s(3), s(3), s(-1), ss(1, 1, 0, 0, 0, false));
        stridedSlice("step -2", s(7), s(0), s(0), s(-2), ss(1, 1, 0, 0, 0, false));
        stridedSlice("clamped", s(5), s(-9), s(99), s(2), ss(0, 0, 0, 0, 0, false));
        stridedSlice("shrink", s(3, 4), s(-1, 0), s(0, 4), s(1, 2), ss(0, 0, 0, 0, 1, false));
        stridedSlice("shrink with begin mask", s(3, 4), s(2, 1), s(0, 3), s(1, 1), ss(1, 0, 0, 0, 1, false));
        stridedSlice("short spec", s(2, 3, 4), s(1), s(2), s(1), ss(0, 0, 0, 0, 0, false));
        stridedSlice(
                "4d mixed", s(2, 5, 6, 3), s(0, 4, 1, 2), s(2, 0, 6, 0), s(1, -2, 2, -1), ss(0, 0, 0, 0, 0, false));
        stridedSlice("offset", s(3, 4), s(1, 1), s(2, 2), s(1, 1), ss(0, 0, 0, 0, 0, true));
        stridedSlice("offset negative begin", s(3, 6), s(-2, -5), s(1, 3), s(1, 1), ss(0, 0, 0, 0, 0, true));
        stridedSlice("ellipsis", s(2, 3, 4), s(0, 1), s(0, 3), s(1, 1), ss(0, 0, 1, 0, 0, false));
        stridedSlice("new axis", s(3, 4), s(0, 0), s(0, 1), s(1, 1), ss(0, 0, 0, 1, 0, false));
        stridedSlice(
                "shrink+ellipsis+new axis", s(2, 3, 4), s(1, 0, 0), s(2, 0, 0), s(1, 1, 1), ss(0, 0, 2, 4, 1, false));
    }

    @Test
    void stridedSliceWithRunTimeBeginEndStrides() {
        Model m =
                one(OpType.STRIDED_SLICE, ss(0, 0, 0, 0, 0, false), List.of(f32(4, 6), i32(2), i32(2), i32(2)), f32(1));
        List<byte[]> in = List.of(
                TensorData.of(new float[24]),
                TensorData.of(new int[] {3, -1}),
                TensorData.of(new int[] {0, 1}),
                TensorData.of(new int[] {-1, -2}));
        float[] x = new float[24];
        for (int k = 0; k < 24; k++) {
            x[k] = k * 0.5f - 3;
        }
        in = List.of(TensorData.of(x), in.get(1), in.get(2), in.get(3));
        check("STRIDED_SLICE run-time operands", m, in);
    }

    @Test
    void sliceAndPackAndSplit() {
        check(
                "SLICE size -1",
                one(
                        OpType.SLICE,
                        EMPTY,
                        List.of(f32(3, 4, 2), ints(s(3), 1, 1, 0), ints(s(3), -1, 2, 1)),
                        f32(2, 2, 1)),
                10);
        check(
                "SLICE int64 operands",
                one(
                        OpType.SLICE,
                        EMPTY,
                        List.of(
                                i32(5, 3),
                                Spec.constant(DataType.INT64, s(2), TensorData.of(new long[] {2, 1})),
                                Spec.constant(DataType.INT64, s(2), TensorData.of(new long[] {3, -1}))),
                        i32(3, 2)),
                11);
        for (int axis : new int[] {0, 1, 2, -1}) {
            check(
                    "PACK axis " + axis,
                    one(OpType.PACK, new OpOptions.Pack(3, axis), List.of(f32(2, 3), f32(2, 3), f32(2, 3)), f32(1)),
                    12 + axis);
        }
        Model split = SingleOpModels.single(
                OpType.SPLIT,
                new OpOptions.Split(3),
                List.of(ints(s(), -2), f32(2, 6, 2)),
                List.of(f32(2, 2, 2), f32(2, 2, 2), f32(2, 2, 2)));
        check("SPLIT axis -2 into 3", split, 16);
    }

    @Test
    void gatherVariants() {
        check(
                "GATHER axis 0",
                one(
                        OpType.GATHER,
                        new OpOptions.Gather(0, 0),
                        List.of(f32(5, 3), ints(s(2, 2), 4, 0, 2, 2)),
                        f32(2, 2, 3)),
                20);
        check(
                "GATHER axis -1 int64 indices",
                one(
                        OpType.GATHER,
                        new OpOptions.Gather(-1, 0),
                        List.of(f32(2, 3, 4), Spec.constant(DataType.INT64, s(3), TensorData.of(new long[] {3, 0, 3}))),
                        f32(2, 3, 3)),
                21);
        check(
                "GATHER batch_dims 1",
                one(
                        OpType.GATHER,
                        new OpOptions.Gather(1, 1),
                        List.of(f32(2, 4, 3), ints(s(2, 2), 3, 0, 1, 1)),
                        f32(2, 2, 3)),
                22);
        check(
                "GATHER int32 params",
                one(OpType.GATHER, new OpOptions.Gather(1, 0), List.of(i32(3, 4), ints(s(2), 1, 3)), i32(3, 2)),
                23);
        check(
                "GATHER int8 quantized",
                one(
                        OpType.GATHER,
                        new OpOptions.Gather(0, 0),
                        List.of(Spec.of(DataType.INT8, 4, 2).quant(0.1f, 3), ints(s(3), 3, 3, 1)),
                        Spec.of(DataType.INT8, 3, 2).quant(0.1f, 3)),
                24);
    }

    @Test
    void reductions() {
        for (OpType type : new OpType[] {OpType.MEAN, OpType.SUM, OpType.REDUCE_MAX}) {
            check(
                    type + " axis 1",
                    one(type, new OpOptions.Reducer(false), List.of(f32(2, 7, 3), ints(s(1), 1)), f32(2, 3)),
                    30);
            check(
                    type + " keep dims, negative and repeated axes",
                    one(
                            type,
                            new OpOptions.Reducer(true),
                            List.of(f32(2, 5, 3, 4), ints(s(3), -1, 1, 3)),
                            f32(2, 1, 3, 1)),
                    31);
            check(
                    type + " all axes",
                    one(type, new OpOptions.Reducer(false), List.of(f32(3, 4), ints(s(2), 0, 1)), f32()),
                    32);
            check(
                    type + " int32",
                    one(type, new OpOptions.Reducer(false), List.of(i32(4, 5), ints(s(1), 0)), i32(5)),
                    33);
        }
        check(
                "MEAN spatial 4d (movie review style)",
                one(OpType.MEAN, new OpOptions.Reducer(false), List.of(f32(1, 256, 16), ints(s(1), 1)), f32(1, 16)),
                34);
        check(
                "MEAN over H,W",
                one(
                        OpType.MEAN,
                        new OpOptions.Reducer(true),
                        List.of(f32(2, 9, 7, 5), ints(s(2), 1, 2)),
                        f32(2, 1, 1, 5)),
                35);
    }

    @Test
    void spaceToBatchAndBatchToSpace() {
        check(
                "SPACE_TO_BATCH_ND 4d with paddings",
                one(
                        OpType.SPACE_TO_BATCH_ND,
                        EMPTY,
                        List.of(f32(2, 5, 4, 3), ints(s(2), 2, 3), ints(s(2, 2), 1, 0, 1, 1)),
                        f32(12, 3, 2, 3)),
                40);
        check(
                "SPACE_TO_BATCH_ND dilation 2",
                one(
                        OpType.SPACE_TO_BATCH_ND,
                        EMPTY,
                        List.of(f32(1, 8, 8, 2), ints(s(2), 2, 2), ints(s(2, 2), 2, 2, 2, 2)),
                        f32(4, 6, 6, 2)),
                41);
        check(
                "BATCH_TO_SPACE_ND 4d with crops",
                one(
                        OpType.BATCH_TO_SPACE_ND,
                        EMPTY,
                        List.of(f32(12, 3, 2, 3), ints(s(2), 2, 3), ints(s(2, 2), 1, 0, 1, 1)),
                        f32(2, 5, 4, 3)),
                42);
        check(
                "BATCH_TO_SPACE_ND no crops",
                one(
                        OpType.BATCH_TO_SPACE_ND,
                        EMPTY,
                        List.of(f32(4, 3, 3, 1), ints(s(2), 2, 2), ints(s(2, 2), 0, 0, 0, 0)),
                        f32(1, 6, 6, 1)),
                43);
        check(
                "SPACE_TO_BATCH_ND 3d",
                one(
                        OpType.SPACE_TO_BATCH_ND,
                        EMPTY,
                        List.of(f32(1, 5, 2), ints(s(1), 2), ints(s(1, 2), 1, 0)),
                        f32(2, 3, 2)),
                44);
    }

    @Test
    void pad() {
        check("PAD", one(OpType.PAD, EMPTY, List.of(f32(2, 3), ints(s(2, 2), 1, 0, 2, 1)), f32(3, 6)), 50);
        check(
                "PADV2 value",
                one(
                        OpType.PADV2,
                        EMPTY,
                        List.of(f32(1, 2, 2, 1), ints(s(4, 2), 0, 0, 1, 1, 2, 0, 0, 1), Spec.floats(s(), -7.5f)),
                        f32(1, 4, 4, 2)),
                51);
        check(
                "PADV2 int8 value",
                one(
                        OpType.PADV2,
                        EMPTY,
                        List.of(
                                Spec.of(DataType.INT8, 2, 3).quant(0.5f, -3),
                                ints(s(2, 2), 0, 2, 1, 1),
                                Spec.int8s(s(), (byte) 9).quant(0.5f, -3)),
                        Spec.of(DataType.INT8, 4, 5).quant(0.5f, -3)),
                53);
        check(
                "PAD int8 zero point",
                one(
                        OpType.PAD,
                        EMPTY,
                        List.of(Spec.of(DataType.INT8, 2, 2).quant(0.5f, -3), ints(s(2, 2), 1, 1, 0, 2)),
                        Spec.of(DataType.INT8, 4, 4).quant(0.5f, -3)),
                52);
    }

    @Test
    void concatenation() {
        // TFLite 2.21 accepts no fused activation on CONCATENATION (our clamp is covered by the unit tests).
        check(
                "CONCATENATION axis -1, constant input",
                SingleOpModels.single(
                        OpType.CONCATENATION,
                        new OpOptions.Concatenation(-1, Activation.NONE),
                        List.of(f32(2, 3, 1), f32(2, 3, 2), Spec.floats(s(2, 3, 1), 7, -7, 0.5f, 6.5f, 2, -0.1f)),
                        List.of(f32(2, 3, 4))),
                53);
        check(
                "CONCATENATION axis 0 int32",
                SingleOpModels.single(
                        OpType.CONCATENATION,
                        new OpOptions.Concatenation(0, Activation.NONE),
                        List.of(i32(1, 3), i32(2, 3)),
                        List.of(i32(3, 3))),
                54);
    }

    @Test
    void transpose() {
        Random rnd = new Random(5);
        for (int rank = 2; rank <= 6; rank++) {
            int[] shape = new int[rank];
            List<Integer> perm = new ArrayList<>();
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + rnd.nextInt(3);
                perm.add(d);
            }
            java.util.Collections.shuffle(perm, rnd);
            int[] p = perm.stream().mapToInt(Integer::intValue).toArray();
            check(
                    "TRANSPOSE rank " + rank,
                    one(OpType.TRANSPOSE, EMPTY, List.of(f32(shape), ints(s(rank), p)), f32(1)),
                    55 + rank);
            check(
                    "TRANSPOSE int8 rank " + rank,
                    one(
                            OpType.TRANSPOSE,
                            EMPTY,
                            List.of(Spec.of(DataType.INT8, shape).quant(0.1f, 2), ints(s(rank), p)),
                            Spec.of(DataType.INT8, 1).quant(0.1f, 2)),
                    65 + rank);
        }
    }

    @Test
    void castVariants() {
        float[] x = {-3.7f, -1f, -0.5f, 0f, 0.49f, 1.5f, 2.9f, 200.2f, 255f, 1e6f};
        // Out-of-range float to integer conversion is undefined in C++ (TFLite's result depends on how the
        // loop was vectorised), so the narrow targets get in-range values only.
        for (DataType to : new DataType[] {DataType.INT32, DataType.INT64, DataType.BOOL}) {
            check(
                    "CAST float32 -> " + to,
                    one(OpType.CAST, new OpOptions.Cast(DataType.FLOAT32, to), List.of(f32(10)), Spec.of(to, 10)),
                    List.of(TensorData.of(x)));
        }
        float[] inRange = {0f, 0.9f, 1.5f, 2.9f, 127.9f, 200.2f, 255f, 3f, 4f, 5f};
        check(
                "CAST float32 -> uint8 (in range)",
                one(
                        OpType.CAST,
                        new OpOptions.Cast(DataType.FLOAT32, DataType.UINT8),
                        List.of(f32(10)),
                        Spec.of(DataType.UINT8, 10)),
                List.of(TensorData.of(inRange)));
        float[] signedRange = {-128f, -3.7f, -0.5f, 0f, 0.9f, 127f, 1.5f, 2.9f, -100.2f, 5f};
        check(
                "CAST float32 -> int16 (in range)",
                one(
                        OpType.CAST,
                        new OpOptions.Cast(DataType.FLOAT32, DataType.INT16),
                        List.of(f32(10)),
                        Spec.of(DataType.INT16, 10)),
                List.of(TensorData.of(signedRange)));
        check(
                "CAST float32 -> int8 (in range)",
                one(
                        OpType.CAST,
                        new OpOptions.Cast(DataType.FLOAT32, DataType.INT8),
                        List.of(f32(10)),
                        Spec.of(DataType.INT8, 10)),
                List.of(TensorData.of(signedRange)));
        byte[] bytes = {0, 1, (byte) 127, (byte) 128, (byte) 255, 7};
        for (DataType from : new DataType[] {DataType.UINT8, DataType.INT8}) {
            for (DataType to : new DataType[] {DataType.FLOAT32, DataType.INT32, DataType.INT64}) {
                check(
                        "CAST " + from + " -> " + to,
                        one(OpType.CAST, new OpOptions.Cast(from, to), List.of(Spec.of(from, 6)), Spec.of(to, 6)),
                        List.of(bytes));
            }
        }
        int[] big = {0, 1, -1, 255, 256, -129, 70000, Integer.MIN_VALUE};
        for (DataType to : new DataType[] {
            DataType.FLOAT32, DataType.INT64, DataType.UINT8, DataType.INT8, DataType.BOOL, DataType.INT16
        }) {
            check(
                    "CAST int32 -> " + to,
                    one(OpType.CAST, new OpOptions.Cast(DataType.INT32, to), List.of(i32(8)), Spec.of(to, 8)),
                    List.of(TensorData.of(big)));
        }
        check(
                "CAST int64 -> int32",
                one(
                        OpType.CAST,
                        new OpOptions.Cast(DataType.INT64, DataType.INT32),
                        List.of(Spec.of(DataType.INT64, 3)),
                        i32(3)),
                List.of(TensorData.of(new long[] {(1L << 32) + 5, -3, 9})));
        check(
                "CAST bool -> float32",
                one(
                        OpType.CAST,
                        new OpOptions.Cast(DataType.BOOL, DataType.FLOAT32),
                        List.of(Spec.of(DataType.BOOL, 3)),
                        f32(3)),
                List.of(new byte[] {1, 0, 1}));
    }

    @Test
    void quantizeAndDequantize() {
        float[] x = {-1f, -0.25f, 0.25f, 0.75f, 1.25f, -1.25f, 0f, 0.3f, -0.3f, 100f, -100f, 0.05f};
        check(
                "QUANTIZE float32 -> int8",
                one(
                        OpType.QUANTIZE,
                        EMPTY,
                        List.of(f32(12)),
                        Spec.of(DataType.INT8, 12).quant(0.5f, -1)),
                List.of(TensorData.of(x)));
        check(
                "QUANTIZE float32 -> uint8",
                one(
                        OpType.QUANTIZE,
                        EMPTY,
                        List.of(f32(12)),
                        Spec.of(DataType.UINT8, 12).quant(0.1f, 128)),
                List.of(TensorData.of(x)));
        Model random = one(
                OpType.QUANTIZE,
                EMPTY,
                List.of(f32(4, 50)),
                Spec.of(DataType.INT8, 4, 50).quant(0.0123f, 5));
        check("QUANTIZE float32 -> int8 random", random, 60);
        check(
                "QUANTIZE float32 -> int8 per-channel",
                one(
                        OpType.QUANTIZE,
                        EMPTY,
                        List.of(f32(3, 20)),
                        Spec.of(DataType.INT8, 3, 20)
                                .quant(new QuantParams(
                                        new float[] {0.01f, 0.003f, 0.1f}, new long[] {0, 0, 0}, 0, null, null))),
                59);
        check(
                "QUANTIZE int8 -> int8 requantize",
                one(
                        OpType.QUANTIZE,
                        EMPTY,
                        List.of(Spec.of(DataType.INT8, 64).quant(0.05f, 3)),
                        Spec.of(DataType.INT8, 64).quant(0.0371f, -7)),
                61);
        check(
                "QUANTIZE uint8 -> int8",
                one(
                        OpType.QUANTIZE,
                        EMPTY,
                        List.of(Spec.of(DataType.UINT8, 64).quant(0.02f, 128)),
                        Spec.of(DataType.INT8, 64).quant(0.02f, 0)),
                62);
        check(
                "DEQUANTIZE int8",
                one(
                        OpType.DEQUANTIZE,
                        EMPTY,
                        List.of(Spec.of(DataType.INT8, 3, 20).quant(0.037f, -4)),
                        f32(3, 20)),
                63);
        check(
                "DEQUANTIZE uint8",
                one(
                        OpType.DEQUANTIZE,
                        EMPTY,
                        List.of(Spec.of(DataType.UINT8, 40).quant(0.11f, 131)),
                        f32(40)),
                64);
        byte[] int16 = TensorData.of(new short[] {-32768, -1, 0, 1, 12345, 32767});
        check(
                "DEQUANTIZE int16",
                one(OpType.DEQUANTIZE, EMPTY, List.of(Spec.of(DataType.INT16, 6).quant(0.001f, 0)), f32(6)),
                List.of(int16));
        byte[] weights = new byte[12];
        new Random(3).nextBytes(weights);
        check(
                "DEQUANTIZE per-channel constant",
                one(
                        OpType.DEQUANTIZE,
                        EMPTY,
                        List.of(Spec.constant(DataType.INT8, s(3, 4), weights)
                                .quant(QuantParams.perChannel(new float[] {0.1f, 0.02f, 0.7f}, 0))),
                        f32(3, 4)),
                List.of());
        short[] halves = new short[8];
        float[] values = {1.5f, -2.25f, 0.1f, 65504f, -0.0001f, 3.14159f, 0f, -7f};
        for (int k = 0; k < 8; k++) {
            halves[k] = io.quanta.graph.Half.fromFloat(values[k]);
        }
        check(
                "DEQUANTIZE float16 constant",
                one(
                        OpType.DEQUANTIZE,
                        EMPTY,
                        List.of(Spec.constant(DataType.FLOAT16, s(2, 4), TensorData.of(halves))),
                        f32(2, 4)),
                List.of());
    }
}
