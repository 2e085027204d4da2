package io.quanta.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.TensorData;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.UnsupportedOpException;
import io.quanta.testing.SingleOpModels.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SingleOpModelsTest {
    /** A hand-written float ADD with a fused ReLU: enough to check the utility end to end. */
    private static final KernelRegistry ADD_ONLY = new KernelRegistry()
            .register(OpType.ADD, KernelRegistry.Flavor.FLOAT, ctx -> (TensorValue[] in, TensorValue[] out) -> {
                out[0].resize(in[0].shape());
                for (int k = 0; k < in[0].size(); k++) {
                    out[0].f[k] = Math.max(0f, in[0].f[k] + in[1].f[k]);
                }
            });

    @Test
    void runsOneOpInTfLiteAndQuanta() {
        Model m = SingleOpModels.single(
                OpType.ADD,
                new OpOptions.Arithmetic(Activation.RELU, true),
                List.of(Spec.of(DataType.FLOAT32, 1, 2, 3), Spec.floats(new int[] {1, 2, 3}, 1, -2, 3, -4, 5, -6)),
                List.of(Spec.of(DataType.FLOAT32, 1, 2, 3)));
        List<byte[]> in = List.of(TensorData.of(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}));
        SingleOpModels.Outputs out = SingleOpModels.run(m, ADD_ONLY, in);
        assertArrayEquals(new float[] {1.5f, 0f, 3.5f, 0f, 5.5f, 0f}, out.tfliteFloats(0));
        assertArrayEquals(out.tflite(0), out.quanta(0));
        assertArrayEquals(new int[] {1, 2, 3}, out.tfliteShapes().get(0));
        assertArrayEquals(out.tfliteShapes().get(0), out.quantaShapes().get(0));
    }

    @Test
    void chainsOpsAndSeedsInputs() {
        TestGraph b = new TestGraph();
        int x = b.input(Spec.of(DataType.FLOAT32, 4));
        int mid = b.tensor(Spec.of(DataType.FLOAT32, 4));
        int y = b.output(Spec.of(DataType.FLOAT32, 4));
        b.op(OpType.ADD, new OpOptions.Arithmetic(Activation.NONE, true), new int[] {x, x}, new int[] {mid});
        b.op(OpType.ADD, new OpOptions.Arithmetic(Activation.NONE, true), new int[] {mid, x}, new int[] {y});
        Model m = b.model();
        List<byte[]> in = SingleOpModels.randomInputs(m, 7);
        assertArrayEquals(in.get(0), SingleOpModels.randomInputs(m, 7).get(0), "same seed, same inputs");
        float[] x3 = TensorData.floats(in.get(0));
        float[] got = TensorData.floats(SingleOpModels.runTfLite(m, in).get(0));
        for (int k = 0; k < 4; k++) {
            assertEquals((x3[k] + x3[k]) + x3[k], got[k]);
        }
    }

    @Test
    void reportsMissingKernels() {
        Model m = SingleOpModels.single(
                OpType.MUL,
                new OpOptions.Arithmetic(Activation.NONE, true),
                List.of(Spec.of(DataType.FLOAT32, 2), Spec.of(DataType.FLOAT32, 2)),
                List.of(Spec.of(DataType.FLOAT32, 2)));
        assertThrows(
                UnsupportedOpException.class,
                () -> SingleOpModels.runQuanta(m, ADD_ONLY, SingleOpModels.randomInputs(m, 1)));
    }
}
