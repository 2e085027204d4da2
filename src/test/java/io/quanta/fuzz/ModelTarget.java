package io.quanta.fuzz;

import io.quanta.graph.Model;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelFormatException;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.schema.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A model's whole way in: read, validate, build an interpreter with the int8 and float kernels, invoke on zeros. */
public final class ModelTarget implements FuzzTarget {
    private static final KernelRegistry KERNELS = FloatKernels.registry().with(Int8Kernels.registry());

    @Override
    public String name() {
        return "model";
    }

    @Override
    public void run(byte[] input) {
        Model model = ModelReader.read(input);
        Interpreter interpreter = new Interpreter(model.mainGraph(), KERNELS);
        interpreter.invoke(); // inputs start as zeros
    }

    @Override
    public boolean isUserError(Throwable t) {
        return t instanceof ModelFormatException
                || t instanceof UnsupportedOpException
                || t instanceof io.quanta.graph.ModelInvalidException;
    }

    /** Every shared model, with the flatbuffer's structure (all but the constant buffers' bytes) marked. */
    public static List<Mutator.Seed> seeds() {
        return SharedAssets.allModels().map(ModelTarget::seed).toList();
    }

    static Mutator.Seed seed(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new Mutator.Seed(file.getFileName().toString(), bytes, structure(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The byte ranges outside the constant buffers' data: where a mutation changes the graph, not a weight. */
    static List<int[]> structure(byte[] bytes) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        io.quanta.tflite.schema.Model root = io.quanta.tflite.schema.Model.getRootAsModel(bb);
        List<int[]> data = new ArrayList<>();
        Buffer b = new Buffer();
        for (int i = 0; i < root.buffersLength(); i++) {
            ByteBuffer d = root.buffers(b, i).dataAsByteBuffer();
            if (d != null && d.remaining() > 64) {
                data.add(new int[] {d.position(), d.limit()});
            }
        }
        data.sort(Comparator.comparingInt(r -> r[0]));
        List<int[]> out = new ArrayList<>();
        int at = 0;
        for (int[] r : data) {
            if (r[0] > at) {
                out.add(new int[] {at, r[0]});
            }
            at = Math.max(at, r[1]);
        }
        if (at < bytes.length) {
            out.add(new int[] {at, bytes.length});
        }
        return out;
    }
}
