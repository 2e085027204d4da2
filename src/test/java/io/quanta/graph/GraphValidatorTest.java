package io.quanta.graph;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.interp.Interpreter;
import io.quanta.kernels.fp32.FloatKernels;
import io.quanta.testing.SharedAssets;
import io.quanta.tflite.ModelFormatException;
import io.quanta.tflite.ModelReader;
import io.quanta.tflite.ModelWriter;
import io.quanta.tflite.TfLiteTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graph validation: each kind of contradiction a fuzzed model once slipped past the reader with, refused by name. */
class GraphValidatorTest {
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Operator> ops = new ArrayList<>();

    private int tensor(String name, int... shape) {
        tensors.add(new Tensor(name, DataType.FLOAT32, shape));
        return tensors.size() - 1;
    }

    private int ints(String name, int... values) {
        tensors.add(new Tensor(name, DataType.INT32, new int[] {values.length}).data(TensorData.of(values)));
        return tensors.size() - 1;
    }

    private int floats(String name, int[] shape) {
        tensors.add(new Tensor(name, DataType.FLOAT32, shape).data(new byte[(int) Shapes.elementCount(shape) * 4]));
        return tensors.size() - 1;
    }

    private void op(OpType type, OpOptions options, int[] in, int... out) {
        ops.add(new Operator(type, TfLiteTypes.builtinCode(type), 1, in, out, options));
    }

    private Subgraph graph(int[] in, int[] out) {
        return new Subgraph("g", tensors, ops, in, out);
    }

    /** The graph through the whole read path: written, read back, validated. */
    private String readError(Subgraph g) {
        byte[] bytes = ModelWriter.write(Model.of(g));
        return assertThrows(ModelFormatException.class, () -> ModelReader.read(bytes))
                .getMessage();
    }

    @Test
    void everySharedModelPasses() {
        SharedAssets.allModels().forEach(p -> assertDoesNotThrow(() -> ModelReader.read(p), p.toString()));
    }

    @Test
    void reshapeToTheWrongElementCount() {
        int x = tensor("x", 1, 28, 20);
        int y = tensor("y", 3, 560);
        op(OpType.RESHAPE, null, new int[] {x, ints("shape", 3, 560)}, y);
        String m = readError(graph(new int[] {x}, new int[] {y}));
        assertTrue(m.contains("RESHAPE (node 0)") && m.contains("560 elements"), m);
    }

    @Test
    void convOutputDeclaredOtherThanItsInputsGive() {
        int x = tensor("x", 1, 28, 28, 1);
        int y = tensor("conv", 1, 28, 26, 4);
        op(
                OpType.CONV_2D,
                new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1),
                new int[] {x, floats("w", new int[] {4, 3, 3, 1}), floats("b", new int[] {4})},
                y);
        String m = readError(graph(new int[] {x}, new int[] {y}));
        assertTrue(
                m.contains("CONV_2D (node 0): output 0 'conv' is declared [1, 28, 26, 4]")
                        && m.contains("[1, 26, 26, 4]"),
                m);
    }

    @Test
    void shapeContradictingItsSignature() {
        int x = tensor("x", 1, 6488065);
        tensors.get(x).shapeSignature(new int[] {-1, 1});
        int y = tensor("y", 1, 6488065);
        op(OpType.RELU, null, new int[] {x}, y);
        String m = readError(graph(new int[] {x}, new int[] {y}));
        assertTrue(m.contains("'x' has shape [1, 6488065] but shape signature [-1, 1]"), m);
    }

    @Test
    void opWithoutOutputs() {
        int x = tensor("x", 2);
        int y = tensor("y", 2);
        op(OpType.RELU, null, new int[] {x});
        op(OpType.RELU, null, new int[] {x}, y);
        Subgraph g = graph(new int[] {x}, new int[] {y});
        ModelInvalidException e = assertThrows(ModelInvalidException.class, () -> GraphValidator.validate(g));
        assertEquals("RELU (node 0) has no outputs", e.getMessage());
    }

    @Test
    void dataInputOfAnotherTypeThanTheOutput() {
        tensors.add(new Tensor("q", DataType.INT8, new int[] {1, 4}));
        int y = tensor("y", 1, 4);
        op(OpType.RELU, null, new int[] {0}, y);
        String m = readError(graph(new int[] {0}, new int[] {y}));
        assertTrue(m.contains("input 0 'q' is INT8 but output 0 'y' is FLOAT32"), m);
    }

    @Test
    void memoryLimitCountsTheShapesTheOpsWillGive() {
        // The declared outputs are small, but the input's batch is sized at run time: the convolutions make 9.7 GiB.
        int x = tensor("x", 44033, 28, 28, 1);
        tensors.get(x).shapeSignature(new int[] {-1, 28, 28, 1});
        int y = tensor("conv", 1, 26, 26, 32);
        tensors.get(y).shapeSignature(new int[] {-1, 26, 26, 32});
        int z = tensor("conv2", 1, 24, 24, 64);
        tensors.get(z).shapeSignature(new int[] {-1, 24, 24, 64});
        OpOptions.Conv2D valid = new OpOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 1, 1);
        op(OpType.CONV_2D, valid, new int[] {x, floats("w", new int[] {32, 3, 3, 1}), -1}, y);
        op(OpType.CONV_2D, valid, new int[] {y, floats("w2", new int[] {64, 3, 3, 32}), -1}, z);
        Subgraph g = graph(new int[] {x}, new int[] {z});
        assertDoesNotThrow(() -> GraphValidator.validate(g));
        assertTrue(GraphValidator.tensorBytes(g) > 9L << 30, GraphValidator.human(GraphValidator.tensorBytes(g)));
        ModelInvalidException e = assertThrows(
                ModelInvalidException.class, () -> new Interpreter(g, FloatKernels.registry(), 256L << 20));
        assertTrue(
                e.getMessage()
                        .contains("more than the 256.0 MiB allowed (--max-memory); the largest is tensor 2"
                                + " 'conv2' FLOAT32[44033, 24, 24, 64]"),
                e.getMessage());
    }

    @Test
    void memoryLimitIsOverflowSafe() {
        int x = tensor("x", 65536, 65536, 65536, 65536);
        int y = tensor("y", 65536, 65536, 65536, 65536);
        op(OpType.RELU, null, new int[] {x}, y);
        Subgraph g = graph(new int[] {x}, new int[] {y});
        assertEquals(Long.MAX_VALUE, GraphValidator.tensorBytes(g));
        assertThrows(ModelInvalidException.class, () -> GraphValidator.checkStructure(g, ""));
    }

    @Test
    void sizesParseForPeople() {
        assertEquals(512L << 20, GraphValidator.parseSize("512m"));
        assertEquals(2L << 30, GraphValidator.parseSize("2GiB"));
        assertEquals(1500, GraphValidator.parseSize("1500"));
        assertThrows(IllegalArgumentException.class, () -> GraphValidator.parseSize("lots"));
        assertThrows(IllegalArgumentException.class, () -> GraphValidator.parseSize("-1g"));
    }
}
