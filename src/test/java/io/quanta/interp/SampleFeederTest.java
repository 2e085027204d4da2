package io.quanta.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.ArrayDataset;
import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.InputSpec;
import io.quanta.data.ModelInputAdapter;
import io.quanta.data.NdArray;
import io.quanta.data.Normalization;
import io.quanta.data.Npy;
import io.quanta.data.Preprocessing;
import io.quanta.graph.Subgraph;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleFeederTest {
    private static final int SAMPLES = 5;

    private final Subgraph graph = ModelReader.read(SharedAssets.floatModel("tiny_vww_96_float.tflite"))
            .mainGraph();

    private NdArray stacked() {
        int[] shape = graph.inputTensor(0).shape().clone();
        shape[0] = SAMPLES;
        float[] v = new float[(int) NdArray.elementCount(shape)];
        Random rnd = new Random(5);
        for (int k = 0; k < v.length; k++) {
            v[k] = rnd.nextFloat();
        }
        return NdArray.ofFloats(shape, v);
    }

    /** Feeds every sample both ways: from the dataset's storage, and through the array sample() gives. */
    private void feedsAsTheSampleArray(Dataset d, boolean direct) {
        assertEquals(direct, d.directItem(0) != null, d.describe());
        Interpreter in = new Interpreter(graph, FloatKernels.registry());
        int size = in.input(0).size();
        for (int s = d.size() - 1; s >= 0; s--) {
            SampleFeeder.feed(in, d, s);
            float[] expected = d.sample(s).get(0).floats();
            assertArrayEquals(expected, Arrays.copyOf(in.input(0).f, size), "sample " + s);
        }
    }

    @Test
    void arraysOnTheHeapMappedFilesSubsetsAndAdaptedInputsGoStraightIntoTheInput(@TempDir Path dir) throws Exception {
        NdArray all = stacked();
        feedsAsTheSampleArray(new ArrayDataset(List.of(all), List.of("heap")), true);
        Path file = dir.resolve("x.npy");
        Npy.write(file, all);
        ArrayDataset mapped = ArrayDataset.of(List.of(Npy.map(file)), List.of(file.toString()));
        feedsAsTheSampleArray(mapped, true);
        Dataset subset = mapped.select(new int[] {4, 1, 1, 3});
        feedsAsTheSampleArray(subset, true);
        feedsAsTheSampleArray(ModelInputAdapter.adapt(subset, InputSpec.of(graph), Preprocessing.DEFAULT), true);
    }

    @Test
    void convertedInputsGoThroughTheSampleArray() {
        Dataset raw = new ArrayDataset(List.of(stacked()), List.of("heap"));
        Dataset scaled =
                ModelInputAdapter.adapt(raw, InputSpec.of(graph), Preprocessing.normalized(Normalization.UNIT));
        assertNull(scaled.directItem(0));
        feedsAsTheSampleArray(scaled, false);
        Interpreter in = new Interpreter(graph, FloatKernels.registry());
        SampleFeeder.feed(in, scaled, 2);
        assertEquals(raw.sample(2).get(0).floats()[7] / 255f, in.input(0).f[7], 1e-7f);
    }

    @Test
    void anArrayOfTheWrongTypeIsRefusedAsBefore() {
        int[] shape = graph.inputTensor(0).shape().clone();
        shape[0] = 2;
        NdArray ints = NdArray.ofInts(shape, new int[(int) NdArray.elementCount(shape)]);
        Dataset d = new ArrayDataset(List.of(ints), List.of("ints.npy"));
        assertNotNull(d.directItem(0));
        Interpreter in = new Interpreter(graph, FloatKernels.registry());
        DatasetException e = assertThrows(DatasetException.class, () -> SampleFeeder.feed(in, d, 1));
        assertTrue(e.getMessage().startsWith("ints.npy sample 1: model input 0"), e.getMessage());
        assertTrue(e.getMessage().contains("takes float32[1, 96, 96, 3], found int32[96, 96, 3]"), e.getMessage());
    }
}
