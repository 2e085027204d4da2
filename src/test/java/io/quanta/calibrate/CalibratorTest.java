package io.quanta.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.ArrayDataset;
import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.NdArray;
import io.quanta.data.Sampling;
import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CalibratorTest {
    @TempDir
    Path dir;

    /** Test kernels: ADD (same shapes), RELU, and MUL used as "accumulate into the variable input 1". */
    private static KernelRegistry testKernels() {
        return new KernelRegistry()
                .register(OpType.ADD, Flavor.FLOAT, ctx -> (in, out) -> {
                    out[0].resize(in[0].shape());
                    for (int k = 0; k < in[0].size(); k++) {
                        out[0].f[k] = in[0].f[k] + in[1].f[k];
                    }
                })
                .register(OpType.RELU, Flavor.FLOAT, ctx -> (in, out) -> {
                    out[0].resize(in[0].shape());
                    for (int k = 0; k < in[0].size(); k++) {
                        out[0].f[k] = Math.max(0f, in[0].f[k]);
                    }
                })
                .register(OpType.MUL, Flavor.FLOAT, ctx -> (in, out) -> {
                    // a stand-in for a recurrent op: state += input, output = state
                    out[0].resize(in[0].shape());
                    for (int k = 0; k < in[0].size(); k++) {
                        in[1].f[k] += in[0].f[k];
                        out[0].f[k] = in[1].f[k];
                    }
                });
    }

    /** x[1,4] -> ADD(x, bias) -> t1 -> RELU -> t2 -> "accumulate"(t2, variable state) -> t3. */
    private static Subgraph graph() {
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("x", DataType.FLOAT32, new int[] {1, 4}));
        t.add(new Tensor("bias", DataType.FLOAT32, new int[] {1, 4}).data(floatsLE(-1f, 0f, 1f, 2f)));
        t.add(new Tensor("t1", DataType.FLOAT32, new int[] {1, 4}));
        t.add(new Tensor("t2", DataType.FLOAT32, new int[] {1, 4}));
        t.add(new Tensor("state", DataType.FLOAT32, new int[] {1, 4}).variable(true));
        t.add(new Tensor("t3", DataType.FLOAT32, new int[] {1, 4}));
        List<Operator> ops = List.of(
                new Operator(OpType.ADD, 0, 1, new int[] {0, 1}, new int[] {2}, null),
                new Operator(OpType.RELU, 19, 1, new int[] {2}, new int[] {3}, null),
                new Operator(OpType.MUL, 18, 1, new int[] {3, 4}, new int[] {5}, null));
        return new Subgraph("main", t, ops, new int[] {0}, new int[] {5});
    }

    private static byte[] floatsLE(float... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static Dataset samples(float[][] rows) {
        float[] flat = new float[rows.length * 4];
        for (int s = 0; s < rows.length; s++) {
            System.arraycopy(rows[s], 0, flat, 4 * s, 4);
        }
        return new ArrayDataset(List.of(NdArray.ofFloats(new int[] {rows.length, 1, 4}, flat)), List.of("x.npy"));
    }

    @Test
    void recordsInputsAndEveryOpOutputWithFreshStatePerSample() {
        Dataset ds = samples(new float[][] {{0, 1, 2, 3}, {-5, -4, 10, 0.5f}});
        List<int[]> progress = new ArrayList<>();
        CalibrationStats stats =
                new Calibrator(graph(), testKernels()).run(ds, (done, total) -> progress.add(new int[] {done, total}));

        assertEquals(2, stats.samples());
        assertEquals(
                List.of(0, 2, 3, 4, 5),
                stats.tensors().stream().map(TensorStats::tensorIndex).toList(),
                "the input, the three op outputs and the variable state (the int8 LSTM scales its states with it); "
                        + "not the constant bias");
        TensorStats x = stats.get("x");
        assertEquals(-5f, x.min());
        assertEquals(10f, x.max());
        assertEquals(8, x.count());
        TensorStats t1 = stats.get(2);
        assertEquals("t1", t1.name());
        assertEquals(-6f, t1.min()); // -5 + -1
        assertEquals(11f, t1.max()); // 10 + 1
        TensorStats t2 = stats.get("t2");
        assertEquals(0f, t2.min());
        assertEquals(11f, t2.max());
        // with state reset before each sample the accumulator equals t2; carried over it would reach 3 + 11 = 14
        TensorStats t3 = stats.get("t3");
        assertEquals(t2.histogram(), t3.histogram());
        assertEquals(11f, t3.max());
        // the state as the op leaves it: the accumulated value, fresh for each sample
        TensorStats state = stats.get("state");
        assertEquals(0f, state.min());
        assertEquals(11f, state.max());
        assertEquals(2, progress.size());
        assertArrayEquals(new int[] {1, 2}, progress.get(0));
        assertArrayEquals(new int[] {2, 2}, progress.get(1));
    }

    @Test
    void statsOfShardsMergedEqualStatsOfTheUnionAndSurviveJson() throws Exception {
        Random rnd = new Random(5);
        float[][] rows = new float[60][4];
        for (float[] r : rows) {
            for (int k = 0; k < 4; k++) {
                r[k] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(5) - 2));
            }
        }
        Dataset all = samples(rows);
        Calibrator calibrator = new Calibrator(graph(), testKernels(), 256);
        CalibrationStats whole = calibrator.run(all);

        for (int trial = 0; trial < 10; trial++) {
            int[] order = Sampling.random(all.size(), all.size(), trial); // a random permutation
            int cut1 = 1 + rnd.nextInt(all.size() - 2);
            int cut2 = cut1 + rnd.nextInt(all.size() - cut1);
            CalibrationStats a = calibrator.run(all.select(java.util.Arrays.copyOfRange(order, 0, cut1)));
            CalibrationStats b = calibrator.run(all.select(java.util.Arrays.copyOfRange(order, cut1, cut2)));
            CalibrationStats c = calibrator.run(all.select(java.util.Arrays.copyOfRange(order, cut2, all.size())));
            // shards travel as JSON, as they would between pods
            CalibrationStats ja = CalibrationStats.fromJson(a.toJson());
            CalibrationStats jb = CalibrationStats.fromJson(b.toJson());
            assertEquals(a, ja);
            CalibrationStats merged = ja.merge(jb).merge(c);
            assertEquals(whole, merged, "trial " + trial);
            assertEquals(whole, c.merge(jb.merge(ja)), "merge order does not matter");
            assertEquals(whole.toJson(), merged.toJson());
        }
        Path file = dir.resolve("stats.json");
        whole.write(file);
        assertEquals(whole, CalibrationStats.read(file));
        assertTrue(Files.readString(file).contains("\"name\" : \"t1\""));
    }

    @Test
    void mergingStatsOfDifferentModelsOrBinCountsFails() {
        Dataset ds = samples(new float[][] {{0, 1, 2, 3}});
        CalibrationStats a = new Calibrator(graph(), testKernels(), 64).run(ds);
        CalibrationStats b = new Calibrator(graph(), testKernels(), 128).run(ds);
        assertThrows(IllegalArgumentException.class, () -> a.merge(b));
        Subgraph renamed = graph();
        renamed.tensor(2).name("other");
        CalibrationStats c = new Calibrator(renamed, testKernels(), 64).run(ds);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(c));
        assertTrue(e.getMessage().contains("different models"), e.getMessage());
    }

    @Test
    void tamperedJsonIsRefused() {
        CalibrationStats s = new Calibrator(graph(), testKernels(), 64).run(samples(new float[][] {{0, 1, 2, 3}}));
        String json = s.toJson().replaceFirst("\"exponent\" : (-?\\d+)", "\"exponent\" : 7");
        assertThrows(IllegalArgumentException.class, () -> CalibrationStats.fromJson(json));
        assertThrows(IllegalArgumentException.class, () -> CalibrationStats.fromJson("{not json"));
    }

    @Test
    void samplesOfTheWrongTypeOrShapeNameTheSource() {
        Calibrator calibrator = new Calibrator(graph(), testKernels());
        Dataset ints =
                new ArrayDataset(List.of(NdArray.ofInts(new int[] {1, 4}, new int[] {1, 2, 3, 4})), List.of("ids.npy"));
        DatasetException e = assertThrows(DatasetException.class, () -> calibrator.run(ints));
        assertTrue(
                e.getMessage().contains("ids.npy") && e.getMessage().contains("takes float32[1, 4], found int32[4]"),
                e.getMessage());
        Dataset wide = new ArrayDataset(List.of(NdArray.ofFloats(new int[] {1, 5}, new float[5])), List.of("wide.npy"));
        e = assertThrows(DatasetException.class, () -> calibrator.run(wide));
        assertTrue(e.getMessage().contains("wide.npy") && e.getMessage().contains("found float32[5]"), e.getMessage());
        // The refusals left the calibrator usable: a good sample is measured as usual.
        TensorStats x = calibrator.run(samples(new float[][] {{1, 2, 3, 4}})).get("x");
        assertEquals(1f, x.min());
        assertEquals(4f, x.max());
    }
}
