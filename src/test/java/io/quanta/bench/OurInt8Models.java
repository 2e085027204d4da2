package io.quanta.bench;

import io.quanta.cli.Main;
import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.graph.Shapes;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Random;

/** Quanta's own int8 models of the shared float models, quantized through the CLI for the benchmarks. */
final class OurInt8Models {
    private OurInt8Models() {}

    /**
     * Quantizes {@code model}_float.tflite with int8 interface types like the converter's, on 100 calibration
     * samples (the person images for vww_96, else seeded random inputs in the model's range), into {@code work}.
     */
    static Path quantize(String model, Path work) throws Exception {
        Path floatModel = SharedAssets.floatModel(model + "_float.tflite");
        Path out = work.resolve(model + "_int8.tflite");
        String[] data;
        if (model.equals("tiny_vww_96")) {
            data = new String[] {
                "--dataset", SharedAssets.data("person_bmp").toString(), "--normalize", "x/255", "--color", "rgb"
            };
        } else {
            // ResNet-8 takes raw 0..255 pixels, MobileNet [-1, 1]; shared/ has no such images, so seeded random ones.
            int[] shape =
                    ModelReader.read(floatModel).mainGraph().inputTensor(0).shape();
            int samples = model.contains("resnet") ? 100 : 20;
            shape[0] = samples;
            float[] pixels = new float[Shapes.size(shape)];
            Random rnd = new Random(1);
            for (int k = 0; k < pixels.length; k++) {
                pixels[k] = model.contains("resnet") ? rnd.nextInt(256) : rnd.nextFloat() * 2f - 1f;
            }
            Path npy = work.resolve(model + "_calib.npy");
            Npy.write(npy, NdArray.ofFloats(shape, pixels));
            data = new String[] {"--dataset", npy.toString()};
        }
        String[] args = new String[data.length + 9];
        String[] head = {
            "quantize",
            floatModel.toString(),
            "--out",
            out.toString(),
            "--input-type",
            "int8",
            "--output-type",
            "int8",
            "--no-eval"
        };
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(data, 0, args, head.length, data.length);
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new Main())
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        if (code != 0) {
            throw new IllegalStateException("quantize failed: " + err);
        }
        return out;
    }
}
