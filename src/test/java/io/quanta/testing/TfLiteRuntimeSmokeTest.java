package io.quanta.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TfLiteRuntimeSmokeTest {
    @Test
    void runsHelloWorldSine() {
        try (TfLiteRuntime rt = new TfLiteRuntime(SharedAssets.floatModel("tflm_hello_world_float.tflite"))) {
            assertEquals(1, rt.inputCount());
            assertArrayEquals(new int[] {1, 1}, rt.inputShape(0));
            rt.setInput(0, new float[] {(float) (Math.PI / 2)});
            rt.invoke();
            float y = rt.outputFloats(0)[0];
            // The model learnt sin(x): near 1 at pi/2 (its training was noisy, so allow a loose band).
            assertEquals(1.0, y, 0.25);
        }
    }

    @Test
    void xnnpackAgreesWithDefaultKernels() {
        var model = SharedAssets.floatModel("tflm_hello_world_float.tflite");
        try (TfLiteRuntime plain = new TfLiteRuntime(model);
                TfLiteRuntime fast = TfLiteRuntime.xnnpack(model)) {
            for (float x = 0f; x < 6.3f; x += 0.7f) {
                plain.setInput(0, new float[] {x});
                fast.setInput(0, new float[] {x});
                plain.invoke();
                fast.invoke();
                assertEquals(plain.outputFloats(0)[0], fast.outputFloats(0)[0], 1e-5);
            }
        }
    }
}
