package io.quanta.kernels;

import io.quanta.graph.OpOptions;
import io.quanta.graph.Shapes;
import io.quanta.graph.Tensor;
import java.util.Arrays;

/**
 * The shape side of a reduction over constant axes (MEAN in int8 and int16): which dimensions are reduced, the
 * output shape with or without keep_dims, how many input elements feed each output, and for each input element
 * (row-major) the output element it adds into.
 *
 * @param axes        the axes as given (TFLite's special cases look at them before normalizing)
 * @param outputIndex for each input element, the output element it adds into
 * @param count       input elements per output element
 */
public record Reduction(
        int[] inputShape,
        int[] outputShape,
        int[] axes,
        boolean[] reduced,
        int[] outputIndex,
        int count,
        boolean keepDims) {

    /** The reduction of input 0 over the constant axes of input 1, with the op's keep_dims. */
    public static Reduction of(OpContext ctx) {
        Tensor input = ctx.input(0);
        boolean keepDims = ctx.options(OpOptions.Reducer.class).keepDims();
        int rank = input.rank();
        int[] inputShape = input.shape();
        boolean[] reduced = new boolean[rank];
        int[] axes = ctx.constInts(1);
        for (int a : axes) {
            try {
                reduced[Shapes.axis(a, rank)] = true;
            } catch (IllegalArgumentException e) {
                throw ctx.fail("axis " + a + " is out of range for the " + rank + "-D input '" + input.name() + "'");
            }
        }
        int[] keptShape = new int[rank];
        int reducedCount = 0;
        int count = 1;
        for (int d = 0; d < rank; d++) {
            keptShape[d] = reduced[d] ? 1 : inputShape[d];
            if (reduced[d]) {
                count *= inputShape[d];
                reducedCount++;
            }
        }
        int[] outputShape = keptShape;
        if (!keepDims) {
            outputShape = new int[rank - reducedCount];
            for (int d = 0, k = 0; d < rank; d++) {
                if (!reduced[d]) outputShape[k++] = inputShape[d];
            }
        }
        return new Reduction(
                inputShape,
                outputShape,
                axes,
                reduced,
                BroadcastShapes.indexMap(keptShape, inputShape),
                count,
                keepDims);
    }

    /** Output elements. */
    public int outputSize() {
        return Shapes.size(outputShape);
    }

    /** Fails at run time when the input no longer has the prepared shape (dynamic shapes are not supported). */
    public void check(String op, TensorValue input) {
        if (input.size() != outputIndex.length) {
            throw new IllegalStateException(op + ": input shape changed from " + Arrays.toString(inputShape) + " to "
                    + Arrays.toString(input.shape()) + "; dynamic shapes are not supported");
        }
    }
}
