package io.quanta.quantize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shared float model goes through every mode and the result loads and runs in TFLite 2.21. The ranges
 * are synthetic (every activation in [-8, 8]): this checks structure, types, versions and the runtime's
 * acceptance, not accuracy.
 */
class AllModelsQuantizeTest {

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
        QuantizationResult u8 = Quantizer.quantize(source, synthetic(source), QuantizationOptions.defaults()
                .withInputType(InterfaceType.UINT8).withOutputType(InterfaceType.UINT8));
        runs(u8.model(), file.getFileName() + "_uint8io.tflite");
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8OnlyWithIntegerInterfaceEitherHasNoFloatOpOrListsThem(Path file) {
        Model source = ModelReader.read(file);
        QuantizationOptions opts = QuantizationOptions.defaults().withMode(QuantizationMode.INT8_ONLY)
                .withInputType(InterfaceType.INT8).withOutputType(InterfaceType.INT8);
        QuantizationResult r;
        try {
            r = Quantizer.quantize(source, synthetic(source), opts);
        } catch (UnquantizableOpsException e) {
            assertFalse(e.ops().isEmpty());
            System.out.println(file.getFileName() + ": " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
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
        for (QuantizationMode mode : new QuantizationMode[] {QuantizationMode.DYNAMIC_RANGE, QuantizationMode.FLOAT16}) {
            QuantizationResult r = Quantizer.quantize(source, TensorRanges.none(),
                    QuantizationOptions.defaults().withMode(mode));
            for (Operator op : r.model().mainGraph().operators()) {
                if (mode == QuantizationMode.FLOAT16 && op.type() == OpType.DEQUANTIZE) {
                    assertEquals(DataType.FLOAT16, r.model().mainGraph().tensor(op.input(0)).type());
                }
            }
            runs(r.model(), file.getFileName() + "_" + mode + ".tflite");
        }
    }

    private void runs(Model model, String name) {
        Path out = tmp.resolve(name);
        ModelWriter.write(model, out);
        Random random = new Random(3);
        try (TfLiteRuntime rt = new TfLiteRuntime(out)) {
            for (int i = 0; i < rt.inputCount(); i++) {
                int n = 1;
                for (int d : rt.inputShape(i)) n *= d;
                int type = rt.inputType(i);
                ByteBuffer b = ByteBuffer.allocate(type == 1 || type == 2 ? 4 * n : n).order(ByteOrder.LITTLE_ENDIAN);
                for (int k = 0; k < n; k++) {
                    if (type == 1) b.putFloat(random.nextFloat());
                    else if (type == 2) b.putInt(random.nextInt(100));
                    else b.put((byte) random.nextInt(256));
                }
                rt.setInput(i, b.array());
            }
            rt.invoke();
            assertTrue(rt.output(0).length > 0);
        }
    }
}
