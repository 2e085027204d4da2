package io.quanta.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Error sums merge exactly: any grouping of the same blocks, in any order, gives the same doubles. */
class ExactMergeTest {
    private static OutputError block(Random r, int n) {
        float[] ref = new float[n];
        float[] test = new float[n];
        for (int k = 0; k < n; k++) {
            ref[k] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
            test[k] = ref[k] + (float) (r.nextGaussian() * 1e-3);
        }
        OutputError e = new OutputError();
        e.add(ref, test, n);
        return e;
    }

    @Test
    void groupingAndOrderDoNotChangeTheResult() {
        OutputError[] a = new OutputError[9];
        OutputError[] b = new OutputError[9];
        for (int k = 0; k < 9; k++) {
            a[k] = block(new Random(k), 100);
            b[k] = block(new Random(k), 100);
        }
        OutputError left = a[0];
        for (int k = 1; k < 9; k++) left.merge(a[k]);
        // three shards, merged last to first
        OutputError s0 = b[0].merge(b[1]).merge(b[2]);
        OutputError s1 = b[3].merge(b[4]).merge(b[5]);
        OutputError s2 = b[6].merge(b[7]).merge(b[8]);
        OutputError right = s2.merge(s1).merge(s0);
        assertEquals(left.count(), right.count());
        assertEquals(left.maxAbsError(), right.maxAbsError());
        assertEquals(left.meanAbsError(), right.meanAbsError());
        assertEquals(left.sqnrDb(), right.sqnrDb());
    }

    @Test
    void layerSqnrCountsTheSignalOfEveryMergedPart() {
        LayerError one = new LayerError(0.1);
        one.add(new float[] {1, 2}, new float[] {1.5f, 2}, 2);
        LayerError two = new LayerError(0.1);
        two.add(new float[] {3}, new float[] {3}, 1);
        one.merge(two);
        assertEquals(10 * Math.log10((1 + 4 + 9) / 0.25), one.sqnrDb(), 1e-12);
    }

    @Test
    void totalsRoundTripLosslessly() {
        EvaluationTotals t = new EvaluationTotals(1, new double[] {0.0123});
        t.outputs[0].merge(block(new Random(3), 50));
        t.samples = 5;
        t.classes = 10;
        EvaluationTotals back = EvaluationTotals.fromJson(t.toJson());
        assertEquals(t, back);
        assertEquals(t.outputs[0].sqnrDb(), back.outputs[0].sqnrDb());
        assertEquals(t.outputs[0].meanAbsError(), back.outputs[0].meanAbsError());
    }
}
