package io.quanta.tflite;

import io.quanta.testing.TfLiteRuntime;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Seeded random model inputs, filled by the input's TFLite type in a range the model expects. */
final class RandomInputs {
    private RandomInputs() {}

    /** Range of float inputs for a model file: raw pixels for the ResNets, angles for the sine model. */
    static float[] floatRange(String modelFile) {
        if (modelFile.contains("resnet8")) {
            return new float[] {0f, 255f};
        }
        if (modelFile.contains("hello_world")) {
            return new float[] {0f, (float) (2 * Math.PI)};
        }
        if (modelFile.contains("mobilenet")) {
            return new float[] {-1f, 1f};
        }
        return new float[] {0f, 1f};
    }

    /** Raw bytes for input {@code i} of a runtime: float32, int32 token ids in [0, 100), uint8, int8. */
    static byte[] forInput(TfLiteRuntime rt, int i, Random random, float[] floatRange) {
        int n = 1;
        for (int d : rt.inputShape(i)) {
            n *= d;
        }
        int type = rt.inputType(i);
        switch (type) {
            case 1: { // float32
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < n; k++) {
                    b.putFloat(floatRange[0] + random.nextFloat() * (floatRange[1] - floatRange[0]));
                }
                return b.array();
            }
            case 2: { // int32: token ids of the text model
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < n; k++) {
                    b.putInt(random.nextInt(100));
                }
                return b.array();
            }
            case 3: // uint8
            case 9: { // int8
                byte[] b = new byte[n];
                random.nextBytes(b);
                return b;
            }
            default:
                throw new IllegalArgumentException("no random filler for TFLite type " + type + " of input " + i);
        }
    }
}
