package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.NdArray;
import io.quanta.data.NdArray.DType;
import io.quanta.graph.DataType;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
    private static Subgraph withInput(Tensor t) {
        return new Subgraph("g", List.of(t), List.of(), new int[] {0}, new int[] {0});
    }

    private static BatchRunner.Layout layout(Tensor t, int... arrayShape) {
        return BatchRunner.layout(withInput(t), 0, NdArray.zeros(DType.FLOAT32, arrayShape), "in.npy");
    }

    @Test
    void leadingBatchDimensionOfOneBecomesTheSampleAxis() {
        Tensor t = new Tensor("x", DataType.FLOAT32, new int[] {1, 28, 28});
        BatchRunner.Layout l = layout(t, 7, 28, 28);
        assertEquals(7, l.samples());
        assertArrayEquals(new int[] {1, 28, 28}, l.sampleShape());
        assertEquals(1, layout(t, 1, 28, 28).samples());
        assertEquals(3, layout(t, 3, 1, 28, 28).samples(), "an extra leading axis also stacks samples");
        assertArrayEquals(new int[] {1, 28, 28}, layout(t, 3, 1, 28, 28).sampleShape());
    }

    @Test
    void inputsWithoutBatchDimensionTakeAnExtraAxisOrExactlyOneSample() {
        Tensor t = new Tensor("x", DataType.FLOAT32, new int[] {28, 28});
        assertEquals(5, layout(t, 5, 28, 28).samples());
        assertArrayEquals(new int[] {28, 28}, layout(t, 5, 28, 28).sampleShape());
        assertEquals(1, layout(t, 28, 28).samples());
        Tensor scalar = new Tensor("s", DataType.FLOAT32, new int[0]);
        assertEquals(4, layout(scalar, 4).samples());
        assertEquals(1, layout(scalar).samples());
    }

    @Test
    void openDimensionsMatchAnySizeAndTheSampleKeepsIt() {
        Tensor t = new Tensor("tokens", DataType.FLOAT32, new int[] {1, 1}).shapeSignature(new int[] {-1, -1});
        BatchRunner.Layout l = layout(t, 6, 40);
        assertEquals(6, l.samples());
        assertArrayEquals(new int[] {1, 40}, l.sampleShape());
    }

    @Test
    void mismatchesSayWhatShapeIsNeeded() {
        Tensor t = new Tensor("x", DataType.FLOAT32, new int[] {1, 4}).shapeSignature(new int[] {-1, 4});
        UserException e = assertThrows(UserException.class, () -> layout(t, 3, 5));
        assertEquals(
                "in.npy: input 0 'x' has shape [-1,4], so the array must have shape [N,4] (N samples); found [3,5]",
                e.getMessage());
        Tensor noBatch = new Tensor("y", DataType.FLOAT32, new int[] {2, 3});
        assertTrue(assertThrows(UserException.class, () -> layout(noBatch, 3, 2))
                .getMessage()
                .contains("[N,2,3]"));
    }

    @Test
    void dtypeMustMatchTheTensorType() {
        Tensor t = new Tensor("x", DataType.UINT8, new int[] {1, 2});
        UserException e = assertThrows(
                UserException.class,
                () -> BatchRunner.layout(withInput(t), 0, NdArray.zeros(DType.INT8, new int[] {1, 2}), "in.npy"));
        assertEquals(
                "in.npy: input 0 'x' expects uint8 data (|u1), found int8 (convert with array.astype(numpy.uint8))",
                e.getMessage());
        Tensor f16 = new Tensor("h", DataType.FLOAT16, new int[] {1});
        assertTrue(assertThrows(UserException.class, () -> layout(f16, 1))
                .getMessage()
                .contains("FLOAT16"));
    }
}
