package io.quanta.testing;

import io.quanta.data.NdArray;
import io.quanta.data.Npy;
import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Padding;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.graph.TensorData;
import io.quanta.tflite.ModelWriter;
import io.quanta.tflite.TfLiteTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The hard case of accuracy-aware quantization, built with Quanta's own writer: an audio front end whose energies
 * span many orders of magnitude before a LOG (frames squared, then a fixed "filterbank" FULLY_CONNECTED whose filter
 * gains run from 1 to 10^4), followed by a small conv classifier with fixed seeded random weights. Plain min/max int8
 * flattens the quiet frames' energies to zero; keeping the front end float fixes it. Its data: 2048-sample windows
 * (32 frames of 64) of ../shared/data/speech_wav.
 */
public final class SpeechFrontEnd {
    public static final int FRAMES = 32;
    public static final int FRAME = 64;
    public static final int BANDS = 16;
    public static final int CLASSES = 4;
    /** Window hop over the recordings, in samples. */
    static final int HOP = 512;
    /** The recordings long enough for a window, in a fixed order; their index is the label. */
    static final String[] WAVS = {"yes_1000ms.wav", "no_1000ms.wav", "silence_1000ms.wav", "noise_1000ms.wav"};

    private SpeechFrontEnd() {}

    /**
     * The model, its classifier centred on the data: the bias is −W·μ and the weights are divided by σ, with μ and
     * σ the mean and spread of the pooled features over {@code windows} (run in float), so that the class picked
     * depends on how a window differs from the others rather than on its loudness alone.
     */
    public static Model model(NdArray windows) {
        // Pass 1: centre each conv channel (bias = −mean of its pre-activation), so the ReLU keeps the variation.
        float[] convMean = meanAndSpread(model(null, false, null, null), windows, 10, 8)[0];
        float[] convBias = new float[8];
        for (int c = 0; c < 8; c++) convBias[c] = -convMean[c];
        // Pass 2: centre and scale the pooled features the classifier reads.
        float[][] pooled = meanAndSpread(model(convBias, true, null, null), windows, 12, 8);
        return model(convBias, true, pooled[0], pooled[1]);
    }

    /** Per channel (last axis) mean and standard deviation of tensor {@code tensor} over every window, in float. */
    private static float[][] meanAndSpread(Model m, NdArray windows, int tensor, int channels) {
        io.quanta.interp.Interpreter run =
                new io.quanta.interp.Interpreter(m.mainGraph(), io.quanta.kernels.fp32.FloatKernels.registry());
        int n = windows.shape()[0];
        int size = FRAMES * FRAME;
        float[] all = windows.floats();
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        long count = 0;
        for (int w = 0; w < n; w++) {
            io.quanta.interp.SampleFeeder.feed(
                    run,
                    0,
                    NdArray.ofFloats(
                            new int[] {1, FRAMES, FRAME}, java.util.Arrays.copyOfRange(all, w * size, (w + 1) * size)),
                    "window " + w);
            run.invoke();
            io.quanta.kernels.TensorValue v = run.value(tensor);
            for (int k = 0; k < v.size(); k++) {
                sum[k % channels] += v.f[k];
                sq[k % channels] += (double) v.f[k] * v.f[k];
            }
            count += v.size() / channels;
        }
        float[] mean = new float[channels];
        float[] sd = new float[channels];
        for (int c = 0; c < channels; c++) {
            mean[c] = (float) (sum[c] / count);
            sd[c] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, sq[c] / count - mean[c] * (double) mean[c])));
        }
        return new float[][] {mean, sd};
    }

    private static Model model(float[] convBias, boolean relu, float[] mean, float[] sd) {
        List<Tensor> t = new ArrayList<>();
        List<Operator> ops = new ArrayList<>();
        Random rnd = new Random(20261204);
        int frames = add(t, new Tensor("frames", DataType.FLOAT32, new int[] {1, FRAMES, FRAME}));
        int power = add(t, new Tensor("power", DataType.FLOAT32, new int[] {1, FRAMES, FRAME}));
        float[] fb = new float[BANDS * FRAME];
        for (int b = 0; b < BANDS; b++) {
            double gain = Math.pow(10, 4.0 * b / (BANDS - 1));
            for (int k = 0; k < FRAME; k++) {
                // Overlapping triangles over the 64 samples of a frame, each scaled by its band's gain.
                double centre = (b + 0.5) * FRAME / BANDS;
                fb[b * FRAME + k] = (float) (gain * Math.max(0, 1 - Math.abs(k - centre) / (FRAME / (double) BANDS)));
            }
        }
        int fbW = add(t, constant("filterbank/weights", new int[] {BANDS, FRAME}, fb));
        float[] floor = new float[BANDS];
        java.util.Arrays.fill(floor, 1e-9f);
        int fbB = add(t, constant("filterbank/floor", new int[] {BANDS}, floor));
        int energies = add(t, new Tensor("energies", DataType.FLOAT32, new int[] {1, FRAMES, BANDS}));
        int logE = add(t, new Tensor("log_energies", DataType.FLOAT32, new int[] {1, FRAMES, BANDS}));
        int shape = add(t, new Tensor("image/shape", DataType.INT32, new int[] {4}).data(TensorData.of(new int[] {
                    1, FRAMES, BANDS, 1
                })));
        int image = add(t, new Tensor("image", DataType.FLOAT32, new int[] {1, FRAMES, BANDS, 1}));
        int convW = add(t, constant("conv/weights", new int[] {8, 3, 3, 1}, gaussian(rnd, 8 * 9, 0.3)));
        int convB = add(t, constant("conv/bias", new int[] {8}, convBias == null ? new float[8] : convBias));
        int conv = add(t, new Tensor("conv", DataType.FLOAT32, new int[] {1, FRAMES - 2, BANDS - 2, 8}));
        int axes = add(t, new Tensor("pool/axes", DataType.INT32, new int[] {2}).data(TensorData.of(new int[] {1, 2})));
        int pooled = add(t, new Tensor("pooled", DataType.FLOAT32, new int[] {1, 8}));
        float[] w = gaussian(rnd, CLASSES * 8, 0.5);
        float[] bias = new float[CLASSES];
        if (mean != null) {
            for (int k = 0; k < CLASSES; k++) {
                for (int c = 0; c < 8; c++) {
                    w[k * 8 + c] /= sd[c];
                    bias[k] -= w[k * 8 + c] * mean[c];
                }
            }
        }
        int fcW = add(t, constant("classifier/weights", new int[] {CLASSES, 8}, w));
        int fcB = add(t, constant("classifier/bias", new int[] {CLASSES}, bias));
        int logits = add(t, new Tensor("logits", DataType.FLOAT32, new int[] {1, CLASSES}));
        ops.add(op(OpType.MUL, new OpOptions.Arithmetic(Activation.NONE, false), new int[] {frames, frames}, power));
        ops.add(op(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, true, false),
                new int[] {power, fbW, fbB},
                energies));
        ops.add(op(OpType.LOG, null, new int[] {energies}, logE));
        ops.add(op(
                OpType.RESHAPE,
                new OpOptions.Reshape(new int[] {1, FRAMES, BANDS, 1}),
                new int[] {logE, shape},
                image));
        ops.add(op(
                OpType.CONV_2D,
                new OpOptions.Conv2D(Padding.VALID, 1, 1, relu ? Activation.RELU : Activation.NONE, 1, 1),
                new int[] {image, convW, convB},
                conv));
        ops.add(op(OpType.MEAN, new OpOptions.Reducer(false), new int[] {conv, axes}, pooled));
        ops.add(op(
                OpType.FULLY_CONNECTED,
                new OpOptions.FullyConnected(Activation.NONE, 0, false, false),
                new int[] {pooled, fcW, fcB},
                logits));
        return Model.of(new Subgraph("main", t, ops, new int[] {frames}, new int[] {logits}));
    }

    /** Writes the model, centred on the windows in {@code windowsFile}, to {@code file}. */
    public static Path writeModel(Path file, Path windowsFile) {
        try {
            ModelWriter.write(model(Npy.read(windowsFile)), file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Every window of every recording, as a [N, 1, 32, 64] float .npy of samples in [-1, 1). */
    public static Path writeWindows(Path file) {
        List<float[]> windows = new ArrayList<>();
        for (String wav : WAVS) {
            float[] pcm = readWav(SharedAssets.data("speech_wav").resolve(wav));
            for (int start = 0; start + FRAMES * FRAME <= pcm.length; start += HOP) {
                windows.add(java.util.Arrays.copyOfRange(pcm, start, start + FRAMES * FRAME));
            }
        }
        float[] all = new float[windows.size() * FRAMES * FRAME];
        for (int w = 0; w < windows.size(); w++) {
            System.arraycopy(windows.get(w), 0, all, w * FRAMES * FRAME, FRAMES * FRAME);
        }
        try {
            Npy.write(file, NdArray.ofFloats(new int[] {windows.size(), 1, FRAMES, FRAME}, all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** The samples of a 16-bit PCM WAV file, scaled to [-1, 1), read by the data layer. */
    static float[] readWav(Path file) {
        io.quanta.data.WavFile wav = io.quanta.data.WavFile.open(file);
        float[] out = new float[(int) wav.header().frames()];
        wav.readMono(0, out.length, out);
        return out;
    }

    private static int add(List<Tensor> t, Tensor tensor) {
        t.add(tensor);
        return t.size() - 1;
    }

    private static Tensor constant(String name, int[] shape, float[] values) {
        return new Tensor(name, DataType.FLOAT32, shape).data(TensorData.of(values));
    }

    private static Operator op(OpType type, OpOptions options, int[] in, int out) {
        return new Operator(type, TfLiteTypes.builtinCode(type), 1, in, new int[] {out}, options);
    }

    private static float[] gaussian(Random r, int n, double sd) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) v[k] = (float) (r.nextGaussian() * sd);
        return v;
    }
}
