package io.quanta.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.QuantParams;
import io.quanta.kernels.TensorValue;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvalMeasuresTest {

    @Test
    void outputErrorAndSqnr() {
        OutputError e = new OutputError();
        e.add(new float[] {1, 2, 3}, new float[] {1, 2, 4}, 3);
        assertEquals(1.0, e.maxAbsError(), 1e-12);
        assertEquals(1.0 / 3, e.meanAbsError(), 1e-12);
        assertEquals(10 * Math.log10(14.0), e.sqnrDb(), 1e-9);
        OutputError same = new OutputError();
        same.add(new float[] {1, 2}, new float[] {1, 2}, 2);
        assertEquals(Double.POSITIVE_INFINITY, same.sqnrDb());
    }

    @Test
    void roundingAloneGivesAboutPoint29Steps() {
        double scale = 0.05;
        LayerError e = new LayerError(scale);
        Random rnd = new Random(1);
        float[] ref = new float[100_000];
        float[] deq = new float[ref.length];
        for (int k = 0; k < ref.length; k++) {
            ref[k] = rnd.nextFloat() * 6 - 3;
            deq[k] = (float) (Math.rint(ref[k] / scale) * scale);
        }
        e.add(ref, deq, ref.length);
        assertEquals(1 / Math.sqrt(12), e.rmseInSteps(), 0.005);
        assertTrue(e.maxAbsError() <= scale / 2 + 1e-6);
        assertEquals(scale / 4, e.meanAbsError(), 0.001);
        // Signal power of U(-3, 3) is 3, noise power of rounding scale²/12: the SQNR of uniform quantization.
        assertEquals(10 * Math.log10(3 / (scale * scale / 12)), e.sqnrDb(), 0.05);
        LayerError same = new LayerError(scale);
        same.add(ref, ref, ref.length);
        assertEquals(Double.POSITIVE_INFINITY, same.sqnrDb());
    }

    @Test
    void classificationCountsAgreementTop1AndTop5() {
        ClassificationTally t = new ClassificationTally();
        float[] f = {0.1f, 0.7f, 0.2f, 0, 0, 0, 0};
        float[] q = {0.1f, 0.2f, 0.7f, 0, 0, 0, 0};
        t.add(f, q, 7, 1); // float right, quantized wrong, disagree
        t.add(f, f, 7, 1); // both right
        t.add(q, q, 7, 0); // both wrong at top-1; class 0 ranks third: in the top 5
        assertEquals(1.0 / 3 * 2, t.agreement(), 1e-12);
        assertEquals(2.0 / 3, t.floatTop1(), 1e-12);
        assertEquals(1.0 / 3, t.quantizedTop1(), 1e-12);
        assertEquals(1.0, t.floatTop5(), 1e-12);
        assertEquals(0, ClassificationTally.argmax(new float[] {3, 3, 1}, 3), "ties go to the first index");
        assertEquals(1, ClassificationTally.rankOf(new float[] {3, 3, 1}, 3, 1), "an equal score earlier ranks before");
    }

    @Test
    void dequantizesPerTensorAndPerChannel() {
        TensorValue v = new TensorValue(DataType.INT8, new int[] {2, 2});
        v.b[0] = -128;
        v.b[1] = 0;
        v.b[2] = 10;
        v.b[3] = 127;
        float[] out = RealValues.into(v, QuantParams.perTensor(0.5f, -128), new float[4]);
        assertArrayEquals(new float[] {0f, 64f, 69f, 127.5f}, out);
        float[] pc = RealValues.into(v, QuantParams.perChannel(new float[] {1f, 2f}, 1), new float[4]);
        assertArrayEquals(new float[] {-128f, 0f, 10f, 254f}, pc);
        float[] rows = RealValues.into(v, QuantParams.perChannel(new float[] {1f, 2f}, 0), new float[4]);
        assertArrayEquals(new float[] {-128f, 0f, 20f, 254f}, rows);
    }

    @Test
    void dequantizesEveryEightBitValueAsScaleTimesValueMinusZeroPoint() {
        // An odd scale, so that the double product rounds to float differently across the range.
        float scale = 0.0123457f;
        for (DataType type : new DataType[] {DataType.INT8, DataType.UINT8}) {
            long zp = type == DataType.INT8 ? -3 : 131;
            TensorValue v = new TensorValue(type, new int[] {1, 256});
            for (int u = 0; u < 256; u++) {
                v.b[u] = (byte) (u * 7 + 5); // every byte once, not in order
            }
            float[] out = RealValues.into(v, QuantParams.perTensor(scale, zp), new float[256]);
            for (int u = 0; u < 256; u++) {
                int stored = type == DataType.INT8 ? v.b[u] : v.b[u] & 0xff;
                float expected = (float) ((double) scale * (stored - zp));
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[u]), type + " value " + stored);
            }
        }
    }
}
