package io.quanta.acceptance;

import io.quanta.data.NdArray;
import io.quanta.testing.SharedModelData;
import io.quanta.testing.TfLiteRuntime;
import java.util.List;

/** Feeds prepared samples to TFLite 2.21. */
final class TfLiteRuns {
    private TfLiteRuns() {}

    /** Runs one sample (inputs in model order); recurrent state starts fresh. */
    static void invoke(TfLiteRuntime rt, List<NdArray> sample) {
        rt.resetVariables();
        for (int k = 0; k < sample.size(); k++) {
            rt.setInput(k, SharedModelData.rawBytes(sample.get(k)));
        }
        rt.invoke();
    }

    /** Argmax of output 0, read by its TfLiteType (1 float32, 3 uint8, 9 int8). */
    static int argmax(TfLiteRuntime rt) {
        int type = rt.outputType(0);
        if (type == 1) {
            float[] f = rt.outputFloats(0);
            int best = 0;
            for (int k = 1; k < f.length; k++) {
                if (f[k] > f[best]) best = k;
            }
            return best;
        }
        byte[] b = rt.output(0);
        int best = 0;
        for (int k = 1; k < b.length; k++) {
            int v = type == 3 ? b[k] & 0xff : b[k];
            int w = type == 3 ? b[best] & 0xff : b[best];
            if (v > w) best = k;
        }
        return best;
    }
}
