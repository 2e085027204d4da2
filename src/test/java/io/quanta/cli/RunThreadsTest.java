package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.testing.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code quanta run --threads N} writes the same bytes for any N (ResNet-8 on real CIFAR-10 images). */
class RunThreadsTest {
    @TempDir
    Path dir;

    @Test
    void outputsAreIdenticalForAnyThreadCount() throws Exception {
        NdArray u8 = Npy.read(SharedAssets.data("cifar10/cifar10_train932_u8.npy"));
        int n = 23; // not a multiple of the block size
        int per = u8.size() / u8.dim(0);
        float[] pixels = new float[n * per];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = u8.bytes()[k] & 0xff;
        }
        Path in = dir.resolve("x.npy");
        Npy.write(in, NdArray.ofFloats(new int[] {n, 32, 32, 3}, pixels));
        String model = SharedAssets.floatModel("tiny_ic_resnet8_float.tflite").toString();
        byte[] one = null;
        for (int threads = 1; threads <= 3; threads++) {
            Path out = dir.resolve("y" + threads + ".npy");
            CliRunner.Result r = CliRunner.run(
                    new Main(), "run", model, "-i", in.toString(), "-o", out.toString(), "--threads", "" + threads);
            assertEquals(0, r.exitCode(), r.toString());
            byte[] bytes = Files.readAllBytes(out);
            if (one == null) {
                one = bytes;
                assertArrayEquals(new int[] {n, 10}, Npy.read(out).shape());
            } else {
                assertArrayEquals(one, bytes, threads + " threads");
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(f -> f.toString().endsWith(".part")).count(), "no partial files left");
        }
    }

    @Test
    void negativeThreadsIsAOneLineUserError() throws Exception {
        CliRunner.Result r =
                CliRunner.run(new Main(), "run", "m.tflite", "-i", "x.npy", "-o", "y.npy", "--threads", "-2");
        assertEquals(2, r.exitCode(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
    }
}
