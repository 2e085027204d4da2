package io.quanta.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.testing.QuantaVsTfLite;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared float model goes through every mode and the result loads and runs in TFLite 2.21. The ranges
 * are synthetic (every activation in [-8, 8]): this checks structure, types, versions, the runtime's acceptance
 * and that TFLite computes what Quanta's interpreter computes on the written model, not accuracy.
 */
@Slow
class AllModelsQuantizeTest {
    /**
     * Int8 results may differ from TFLite's by this many steps: one as everywhere, two for the int8 LSTM, whose
     * synthetic [-8, 8] ranges leave it two output steps from TFLite (one on real data, Int8InterpreterVsTfLiteTest).
     */
    static final int MAX_STEPS = 2;
    /**
     * Weight-only modes against the float model on random input, relative to max(1, max|float|): measured at most
     * 0.008 for float16 and 0.057 for dynamic range (tiny_ic_resnet8_large); wrong weights miss by far more.
     */
    static final Map<QuantizationMode, Double> MAX_WEIGHT_ONLY_ERROR =
            Map.of(QuantizationMode.FLOAT16, 0.02, QuantizationMode.DYNAMIC_RANGE, 0.1);

    @TempDir
    Path tmp;

    static Stream<Path> floatModels() {
        return SharedAssets.floatModels();
    }

    private static TensorRanges synthetic(Model m) {
        Map<Integer, Range> ranges = new HashMap<>();
        Subgraph g = m.mainGraph();
        for (int i = 0; i < g.tensors().size(); i++) {
            Tensor t = g.tensor(i);
            if (t.type() == DataType.FLOAT32 && !t.isConstant()) {
                ranges.put(i, new Range(-8f, 8f));
            }
        }
        return TensorRanges.of(ranges);
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8ModelsLoadAndRunInTfLite(Path file) {
        Model source = ModelReader.read(file);
        QuantizationResult r = Quantizer.quantize(source, synthetic(source), QuantizationOptions.defaults());
        System.out.println(file.getFileName() + ": " + r.coverage());
        runs(r.model(), file.getFileName() + "_int8.tflite");
        QuantizationResult u8 = Quantizer.quantize(
                source,
                synthetic(source),
                QuantizationOptions.defaults()
                        .withInputType(InterfaceType.UINT8)
                        .withOutputType(InterfaceType.UINT8));
        runs(u8.model(), file.getFileName() + "_uint8io.tflite");
    }

    @Test
    void everySharedModelHasAStatedInt8OnlyOutcome() {
        assertEquals(
                new TreeSet<>(SharedAssets.INT8_ONLY_REFUSED_OPS.keySet()),
                floatModels().map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)));
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8OnlyWithIntegerInterfaceQuantizesOrRefusesAsTheTableSays(Path file) {
        Model source = ModelReader.read(file);
        QuantizationOptions opts = QuantizationOptions.defaults()
                .withMode(QuantizationMode.INT8_ONLY)
                .withInputType(InterfaceType.INT8)
                .withOutputType(InterfaceType.INT8);
        List<String> refused = SharedAssets.int8OnlyRefusedOps(file);
        if (!refused.isEmpty()) {
            UnquantizableOpsException e = assertThrows(
                    UnquantizableOpsException.class, () -> Quantizer.quantize(source, synthetic(source), opts));
            assertEquals(refused, e.ops().stream().map(OpReport::opType).toList(), e.getMessage());
            return;
        }
        QuantizationResult r = Quantizer.quantize(source, synthetic(source), opts);
        Subgraph g = r.model().mainGraph();
        for (Operator op : g.operators()) {
            for (int t : op.inputs()) {
                assertTrue(t < 0 || g.tensor(t).type() != DataType.FLOAT32, file + ": " + op + " reads float");
            }
            for (int t : op.outputs()) {
                assertTrue(g.tensor(t).type() != DataType.FLOAT32, file + ": " + op + " writes float");
            }
        }
        runs(r.model(), file.getFileName() + "_int8only.tflite");
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void dynamicRangeAndFloat16ModelsLoadAndRunInTfLite(Path file) {
        Model source = ModelReader.read(file);
        for (QuantizationMode mode :
                new QuantizationMode[] {QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16}) {
            QuantizationResult r = Quantizer.quantize(
                    source, TensorRanges.none(), QuantizationOptions.defaults().withMode(mode));
            for (Operator op : r.model().mainGraph().operators()) {
                if (mode == QuantizationMode.FLOAT16 && op.type() == OpType.DEQUANTIZE) {
                    assertEquals(
                            DataType.FLOAT16,
                            r.model().mainGraph().tensor(op.input(0)).type());
                }
            }
            // Quanta's interpreter does not run weights dequantized at run time, so the float model is the judge.
            Path out = tmp.resolve(file.getFileName() + "_" + mode + ".tflite");
            ModelWriter.write(r.model(), out);
            double worst = QuantaVsTfLite.assertCloseInTfLite(
                    out.getFileName().toString(), file, out, 3, MAX_WEIGHT_ONLY_ERROR.get(mode));
            System.out.printf(
                    "%s: max |%s - float| / max(1, max|float|) = %.3g in TFLite%n", file.getFileName(), mode, worst);
        }
    }

    /** The model loads in TFLite 2.21 and computes what Quanta's interpreter computes on seeded random input. */
    private void runs(Model model, String name) {
        Path out = tmp.resolve(name);
        ModelWriter.write(model, out);
        QuantaVsTfLite.assertAgree(name, out, 3, MAX_STEPS);
    }
}
