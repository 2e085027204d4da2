package io.quanta.quantize.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.Model;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.TensorData;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which layers cross-layer equalization pairs, and that it balances their ranges (function: EqualizationTfLiteTest). */
class EqualizationTest {
    static Model read(String name) {
        return ModelReader.read(SharedAssets.floatModel(name));
    }

    @Test
    void scaleMakesBothRangesTheGeometricMean() {
        double[] s = Equalization.scales(new double[] {4, 1, 0, 2}, new double[] {1, 9, 3, 0});
        assertEquals(2.0, s[0], 1e-12); // 4/2 = 1*2 = 2
        assertEquals(1.0 / 3, s[1], 1e-12); // 1*3 = 9/3 = 3
        assertEquals(1.0, s[2]); // a dead channel is left alone
        assertEquals(1.0, s[3]);
    }

    @Test
    void resnetPairsOnlyTheConvolutionsWhoseOutputFeedsOneConvolution() {
        Subgraph g = read("tiny_ic_resnet8_float.tflite").mainGraph();
        List<String> skipped = new ArrayList<>();
        List<Equalization.Pair> pairs = Equalization.findPairs(g, skipped);
        assertEquals(
                List.of("1->2", "4->5", "8->9"),
                pairs.stream().map(p -> p.first() + "->" + p.second()).toList());
        assertTrue(skipped.isEmpty(), skipped.toString());
    }

    @Test
    void vwwPairsEveryLayerOfTheChainUpToTheClassifierThroughPoolAndReshape() {
        Subgraph g = read("tiny_vww_96_float.tflite").mainGraph();
        List<Equalization.Pair> pairs = Equalization.findPairs(g, new ArrayList<>());
        assertEquals(27, pairs.size(), pairs.toString());
        Equalization.Pair last = pairs.get(pairs.size() - 1);
        assertEquals("FULLY_CONNECTED", last.secondType());
        assertEquals(26, last.first());
    }

    @Test
    void equalizedRangesMatchChannelByChannelAndTheSourceModelIsUntouched() {
        Model source = read("tiny_vww_96_float.tflite");
        byte[] before = source.mainGraph()
                .tensor(source.mainGraph().operators().get(0).input(1))
                .data()
                .clone();
        Equalization.Result r = Equalization.equalize(source);
        assertArrayEquals(
                before,
                source.mainGraph()
                        .tensor(source.mainGraph().operators().get(0).input(1))
                        .data());
        assertTrue(r.sweeps() > 1 && r.sweeps() < Equalization.MAX_SWEEPS, "sweeps " + r.sweeps());
        Subgraph g = r.model().mainGraph();
        for (Equalization.Pair p : r.pairs()) {
            Operator a = g.operators().get(p.first());
            Operator b = g.operators().get(p.second());
            double[] r1 = Equalization.Layer.of(g, a)
                    .outputRanges(TensorData.floats(g.tensor(a.input(1)).data()));
            double[] r2 = Equalization.Layer.of(g, b)
                    .inputRanges(TensorData.floats(g.tensor(b.input(1)).data()));
            double max1 = java.util.Arrays.stream(r1).max().orElseThrow();
            double max2 = java.util.Arrays.stream(r2).max().orElseThrow();
            for (int c = 0; c < r1.length; c++) {
                if (r1[c] <= Equalization.DEAD * max1 || r2[c] <= Equalization.DEAD * max2)
                    continue; // dead: left alone
                assertEquals(r1[c], r2[c], 1e-3 * r1[c], p.describe() + " channel " + c);
            }
        }
        assertNotEquals(1.0, r.maxScale());
    }

    @Test
    void aModelWhoseLayersAreJoinedByRelu6HasNothingToEqualize() {
        Model mobilenet = read("tfls_mobilenet_v1_0.25_224_float.tflite");
        List<String> skipped = new ArrayList<>();
        assertTrue(Equalization.findPairs(mobilenet.mainGraph(), skipped).isEmpty());
        assertEquals(27, skipped.size());
        assertTrue(skipped.get(0).endsWith("fused RELU6 is not positive-homogeneous"), skipped.get(0));
        Equalization.NothingToEqualizeException e =
                assertThrows(Equalization.NothingToEqualizeException.class, () -> Equalization.equalize(mobilenet));
        assertEquals(
                "equalize: no equalizable pair of consecutive CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED layers "
                        + "in the model (27 pair(s) skipped: fused RELU6 is not positive-homogeneous)",
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aModelWithoutConsecutiveLayersHasNothingToEqualize() {
        Model lstm = read("tflm_mnist_lstm_float.tflite");
        assertThrows(Equalization.NothingToEqualizeException.class, () -> Equalization.equalize(lstm));
    }
}
