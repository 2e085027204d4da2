package io.quanta.fuzz;

import io.quanta.calibrate.CalibrationMethod;
import io.quanta.calibrate.CalibrationStats;
import io.quanta.calibrate.Calibrator;
import io.quanta.calibrate.TensorStats;
import io.quanta.data.Dataset;
import io.quanta.data.DatasetException;
import io.quanta.data.NdArray;
import io.quanta.data.NdArrays;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.ModelInvalidException;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.interp.Interpreter;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.kernels.int8.Int8Kernels;
import io.quanta.quantize.QuantizationOptions;
import io.quanta.quantize.QuantizationResult;
import io.quanta.quantize.Quantizer;
import io.quanta.quantize.Range;
import io.quanta.quantize.UnquantizableOpsException;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A float model's way through quantization: read, calibrate on two samples (zeros and a ramp), quantize to int8,
 * write, read back and run the int8 model. A mutant that the reader and the graph check let through must still end
 * in a model or a typed error: the calibrator, the quantizer and the writer see what no converter would make.
 */
public final class QuantizeTarget implements FuzzTarget {
    private static final KernelRegistry KERNELS = FloatKernels.registry().with(Int8Kernels.registry());

    @Override
    public String name() {
        return "quantize";
    }

    @Override
    public void run(byte[] input) {
        Model model = ModelReader.read(input);
        Subgraph graph = model.mainGraph();
        List<NdArray> zeros = new ArrayList<>();
        List<NdArray> ramp = new ArrayList<>();
        for (int index : graph.inputs()) {
            Tensor t = graph.tensor(index);
            zeros.add(NdArrays.zeros(t.type(), t.shape()));
            ramp.add(t.type() == DataType.FLOAT32 ? ramp(t.shape()) : NdArrays.zeros(t.type(), t.shape()));
        }
        List<List<NdArray>> samples = List.of(zeros, ramp);
        Dataset data = new Dataset() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public int inputCount() {
                return zeros.size();
            }

            @Override
            public List<NdArray> sample(int index) {
                return samples.get(index);
            }

            @Override
            public String describe() {
                return "fuzz samples";
            }
        };
        // The histogram methods keep more than min/max: alternate by input so both ways are exercised.
        CalibrationMethod method = (input.length & 1) == 0 ? CalibrationMethod.MINMAX : CalibrationMethod.PERCENTILE;
        CalibrationStats stats = Calibrator.forFloatModel(graph, method).run(data);
        QuantizationResult result = Quantizer.quantize(
                model,
                index -> {
                    TensorStats s = stats.get(index);
                    return s == null || s.count() == 0 ? null : new Range(s.min(), s.max());
                },
                QuantizationOptions.defaults());
        Model back = ModelReader.read(ModelWriter.write(result.model()));
        new Interpreter(back.mainGraph(), KERNELS).invoke(); // inputs start as zeros
    }

    private static NdArray ramp(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= Math.max(d, 0);
        }
        float[] data = new float[(int) n];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 17) / 8f - 1f;
        }
        return NdArray.ofFloats(shape, data);
    }

    @Override
    public boolean isUserError(Throwable t) {
        return t instanceof ModelInvalidException
                || t instanceof UnsupportedOpException
                || t instanceof UnquantizableOpsException
                || t instanceof DatasetException;
    }

    /** The shared float models (the quantizer's inputs), with their structure marked as for {@link ModelTarget}. */
    public static List<Mutator.Seed> seeds() {
        return SharedAssets.floatModels().map(ModelTarget::seed).toList();
    }
}
