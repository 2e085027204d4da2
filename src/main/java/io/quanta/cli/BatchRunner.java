package io.quanta.cli;

import io.quanta.data.MappedNpy;
import io.quanta.data.NdArray;
import io.quanta.data.NdArray.DType;
import io.quanta.data.Npy;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.interp.SampleBlocks;
import io.quanta.kernels.TensorValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a model over a batch: the first axis of each input array is the sample axis. Each sample runs on its own
 * (recurrent state reset before it), on worker threads with an interpreter each, and each output's samples are
 * stacked on a new first axis (replacing a leading batch dimension of 1), streamed into its file as they come.
 */
final class BatchRunner {
    /** Told after each sample, so a caller can show progress. */
    @FunctionalInterface
    interface Listener {
        void sampleDone(int done, int total);
    }

    /** How one input array splits into samples: how many, and the shape each sample is fed with. */
    record Layout(int samples, int[] sampleShape) {
        int sampleSize() {
            return (int) NdArray.elementCount(sampleShape);
        }
    }

    /** An output file as written: its element type and stacked shape. */
    record Written(DType dtype, int[] shape) {}

    private final Subgraph graph;
    private final Supplier<Interpreter> interpreters;
    private final int threads;

    /**
     * @param interpreters makes one interpreter of the graph per worker thread
     * @param threads      worker threads (0: every processor)
     */
    BatchRunner(Subgraph graph, Supplier<Interpreter> interpreters, int threads) {
        this.graph = graph;
        this.interpreters = interpreters;
        this.threads = threads;
    }

    /** The .npy element type that holds values of a tensor type, or null when there is none. */
    static DType dtypeOf(DataType type) {
        return switch (type) {
            case FLOAT32 -> DType.FLOAT32;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case UINT8 -> DType.UINT8;
            case INT8 -> DType.INT8;
            case BOOL -> DType.BOOL;
            default -> null;
        };
    }

    /**
     * Checks an input array against model input {@code index} and says how it splits into samples. Accepted:
     * {@code [N, ...rest]} for an input of shape {@code [1, ...rest]}; {@code [N, ...shape]} for any input
     * shape; and exactly the input's shape, as one sample. Dimensions the model leaves open (-1) match any size.
     */
    static Layout layout(Subgraph graph, int index, NdArray array, String file) {
        return layout(graph, index, array.dtype(), array.shape(), file);
    }

    /** {@link #layout(Subgraph, int, NdArray, String)} for an array of this type and shape (e.g. a mapped file). */
    static Layout layout(Subgraph graph, int index, DType dtype, int[] a, String file) {
        Tensor t = graph.inputTensor(index);
        String what = file + ": input " + index + " '" + t.name() + "'";
        DType expected = dtypeOf(t.type());
        if (expected == null) {
            throw new UserException(what + " has type " + t.type() + ", which run cannot feed from .npy files");
        }
        if (dtype != expected) {
            throw new UserException(what + " expects " + expected.numpyName() + " data (" + expected.descr()
                    + "), found " + dtype.numpyName() + " (convert with array.astype(numpy."
                    + expected.numpyName() + "))");
        }
        int[] model = modelShape(t);
        boolean batchDim = model.length > 0 && (model[0] == 1 || model[0] == -1);
        if (batchDim && a.length == model.length && matches(a, 1, model, 1)) {
            int[] sample = a.clone();
            sample[0] = 1;
            return new Layout(a[0], sample);
        }
        if (a.length == model.length + 1 && matches(a, 1, model, 0)) {
            return new Layout(a[0], Arrays.copyOfRange(a, 1, a.length));
        }
        if (a.length == model.length && matches(a, 0, model, 0)) {
            return new Layout(1, a.clone());
        }
        StringBuilder stacked = new StringBuilder("[N");
        for (int k = batchDim ? 1 : 0; k < model.length; k++) {
            stacked.append(',').append(model[k] == -1 ? "?" : Integer.toString(model[k]));
        }
        throw new UserException(what + " has shape " + InspectText.dims(model) + ", so the array must have shape "
                + stacked + "] (N samples); found " + InspectText.dims(a));
    }

    /** The input's shape with -1 for dimensions the model leaves open. */
    private static int[] modelShape(Tensor t) {
        int[] sig = t.shapeSignature();
        return sig != null && sig.length == t.rank() ? sig : t.shape();
    }

    private static boolean matches(int[] a, int aFrom, int[] model, int modelFrom) {
        if (a.length - aFrom != model.length - modelFrom) {
            return false;
        }
        for (int k = 0; k < model.length - modelFrom; k++) {
            int want = model[modelFrom + k];
            if (want != -1 && want != a[aFrom + k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs every sample on the worker threads and streams each output's results, stacked on the first axis, into
     * its .npy file: written beside it under a temporary name and moved into place once every sample has run (no
     * file at all when a sample fails). Inputs must have been checked by layout. Sample 0 runs first, alone, since
     * the output files' headers need its output shapes.
     */
    List<Written> run(List<MappedNpy> inputs, List<Layout> layouts, List<Path> outputs, Listener listener)
            throws IOException {
        int samples = layouts.get(0).samples();
        int count = graph.outputs().length;
        if (samples == 0) {
            List<Written> written = new ArrayList<>();
            for (int o = 0; o < count; o++) {
                NdArray empty = NdArray.zeros(
                        outputDtype(graph, o),
                        stackedShape(0, graph.outputTensor(o).shape()));
                Npy.write(outputs.get(o), empty);
                written.add(new Written(empty.dtype(), empty.shape()));
            }
            return written;
        }
        AtomicReference<Interpreter> spare = new AtomicReference<>(interpreters.get());
        Interpreter first = spare.get();
        runSample(first, inputs, layouts, 0);
        int[][] shapes = new int[count][];
        DType[] types = new DType[count];
        long[] sampleBytes = new long[count];
        for (int o = 0; o < count; o++) {
            shapes[o] = first.output(o).shape();
            types[o] = outputDtype(graph, o);
            sampleBytes[o] = (long) first.output(o).size() * types[o].byteSize();
        }
        List<Written> written = new ArrayList<>();
        Path[] parts = new Path[count];
        FileChannel[] channels = new FileChannel[count];
        long[] dataStart = new long[count];
        boolean done = false;
        try {
            for (int o = 0; o < count; o++) {
                int[] shape = allocationChecked(o, samples, shapes[o]);
                Path target = outputs.get(o).toAbsolutePath();
                parts[o] = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
                channels[o] = FileChannel.open(parts[o], StandardOpenOption.WRITE);
                byte[] header = Npy.header(types[o], shape);
                writeFully(channels[o], ByteBuffer.wrap(header), 0);
                dataStart[o] = header.length;
                written.add(new Written(types[o], shape));
            }
            writeOutputs(first, 0, 0, new ByteBuffer[count], channels, dataStart, sampleBytes, shapes, 1);
            if (listener != null) {
                listener.sampleDone(1, samples);
            }
            SampleBlocks.run(
                    samples - 1,
                    threads,
                    () -> {
                        Interpreter i = spare.getAndSet(null);
                        return new Worker(i != null ? i : interpreters.get(), new ByteBuffer[count]);
                    },
                    (w, from, to, sampleDone) -> {
                        for (int s = from + 1; s <= to; s++) {
                            runSample(w.interpreter(), inputs, layouts, s);
                            writeOutputs(
                                    w.interpreter(),
                                    s,
                                    from + 1,
                                    w.buffers(),
                                    channels,
                                    dataStart,
                                    sampleBytes,
                                    shapes,
                                    to - from);
                            sampleDone.run();
                        }
                        return null;
                    },
                    (a, b) -> null,
                    listener == null ? null : (n, total) -> listener.sampleDone(n + 1, samples));
            for (int o = 0; o < count; o++) {
                channels[o].close();
                Files.move(parts[o], outputs.get(o), StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            if (!done) {
                for (int o = 0; o < count; o++) {
                    if (channels[o] != null) {
                        channels[o].close();
                    }
                    if (parts[o] != null) {
                        Files.deleteIfExists(parts[o]);
                    }
                }
            }
        }
        return written;
    }

    /** One worker thread's interpreter and its per-output buffers of one block of samples. */
    private record Worker(Interpreter interpreter, ByteBuffer[] buffers) {}

    private void runSample(Interpreter interpreter, List<MappedNpy> inputs, List<Layout> layouts, int s) {
        interpreter.resetVariables();
        for (int i = 0; i < inputs.size(); i++) {
            Layout layout = layouts.get(i);
            TensorValue value = interpreter.input(i);
            value.resize(layout.sampleShape());
            int n = layout.sampleSize();
            inputs.get(i).read(0, s * n, n, dataOf(value), 0);
        }
        interpreter.invoke();
    }

    /**
     * Puts sample s's outputs into the block's buffers (block of {@code blockSize} samples from {@code blockFrom}),
     * and writes them to the files once the block's last sample is in.
     */
    private void writeOutputs(
            Interpreter interpreter,
            int s,
            int blockFrom,
            ByteBuffer[] buffers,
            FileChannel[] channels,
            long[] dataStart,
            long[] sampleBytes,
            int[][] shapes,
            int blockSize) {
        for (int o = 0; o < channels.length; o++) {
            TensorValue v = interpreter.output(o);
            if (!Arrays.equals(shapes[o], v.shape())) {
                throw new UserException("output " + o + " '"
                        + graph.outputTensor(o).name() + "' has shape "
                        + InspectText.dims(shapes[o]) + " for sample 0 but " + InspectText.dims(v.shape())
                        + " for sample " + s + ": samples of different shapes cannot be stacked");
            }
            int bytes = (int) sampleBytes[o];
            int capacity = blockSize * bytes;
            if (buffers[o] == null || buffers[o].capacity() < capacity) {
                buffers[o] = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
            }
            ByteBuffer buf = buffers[o];
            int at = (s - blockFrom) * bytes;
            int n = v.size();
            switch (v.type) {
                case FLOAT32 -> buf.asFloatBuffer().put(at / 4, v.f, 0, n);
                case INT32 -> buf.asIntBuffer().put(at / 4, v.i, 0, n);
                case INT64 -> buf.asLongBuffer().put(at / 8, v.l, 0, n);
                default -> buf.put(at, v.b, 0, n);
            }
            if (s - blockFrom == blockSize - 1) {
                ByteBuffer out = buf.duplicate().position(0).limit(blockSize * bytes);
                try {
                    writeFully(channels[o], out, dataStart[o] + (long) blockFrom * bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            at += ch.write(buf, at);
        }
    }

    private static Object dataOf(TensorValue v) {
        return switch (v.type) {
            case FLOAT32 -> v.f;
            case INT32 -> v.i;
            case INT64 -> v.l;
            default -> v.b;
        };
    }

    private static DType outputDtype(Subgraph graph, int o) {
        Tensor t = graph.outputTensor(o);
        DType d = dtypeOf(t.type());
        if (d == null) {
            throw new UserException("output " + o + " '" + t.name() + "' has type " + t.type()
                    + ", which cannot be written to a .npy file");
        }
        return d;
    }

    private static int[] stackedShape(int samples, int[] sampleShape) {
        boolean leadingOne = sampleShape.length > 0 && sampleShape[0] == 1;
        int[] shape = new int[leadingOne ? sampleShape.length : sampleShape.length + 1];
        shape[0] = samples;
        System.arraycopy(sampleShape, leadingOne ? 1 : 0, shape, 1, shape.length - 1);
        return shape;
    }

    private int[] allocationChecked(int o, int samples, int[] sampleShape) {
        int[] shape = stackedShape(samples, sampleShape);
        if (NdArray.elementCount(shape) > Integer.MAX_VALUE - 8) {
            throw new UserException("output " + o + " '" + graph.outputTensor(o).name() + "' would have shape "
                    + InspectText.dims(shape) + ", too large for one array: run fewer samples at a time");
        }
        return shape;
    }
}
