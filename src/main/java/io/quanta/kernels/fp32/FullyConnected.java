package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.FloatActivation;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.SlidingWindow;
import io.quanta.kernels.TensorValue;
import io.quanta.kernels.hybrid.HybridFullyConnected;
import java.util.Arrays;

/**
 * FULLY_CONNECTED on float: weights [units][in], the input of any rank flattened to [size / in][in], output
 * [batch][units], or the input's shape with its last dimension replaced by units when keep_num_dims is set.
 * Constant weights are transposed to [in][units] and packed once ({@link FloatLoops#pack}); others are
 * transposed per call and multiplied depth-major.
 * Int8 weights run the hybrid kernel.
 */
final class FullyConnected implements Kernel {
    private final int units;
    private final int inSize;
    private final boolean keepNumDims;
    private final boolean hasBias;
    private final float lo;
    private final float hi;
    private final boolean constantWeights;
    private final String opName;
    private final FloatLoops loops;
    private final ShapeMemo shape = new ShapeMemo();
    private final int[] dims = new int[8];
    /** Packed constant weights, or the per-call depth-major transpose of runtime weights. */
    private final float[] packed;

    private FullyConnected(
            OpContext ctx, int units, int inSize, boolean keepNumDims, float lo, float hi, FloatLoops loops) {
        this.loops = loops;
        this.units = units;
        this.inSize = inSize;
        this.keepNumDims = keepNumDims;
        this.hasBias = ctx.hasInput(2);
        this.lo = lo;
        this.hi = hi;
        this.constantWeights = ctx.input(1).isConstant();
        this.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
        float[] weights = new float[units * inSize];
        if (constantWeights) {
            FloatGemm.transpose(ctx.constFloats(1), 0, units, inSize, weights, 0);
            weights = loops.pack(weights, inSize, units);
        }
        this.packed = weights;
    }

    static Kernel create(OpContext ctx) {
        return create(ctx, FloatLoops.fastest());
    }

    static Kernel create(OpContext ctx, FloatLoops loops) {
        OpOptions.FullyConnected o = ctx.options(OpOptions.FullyConnected.class);
        Tensor weights = ctx.input(1);
        if (weights.rank() != 2) {
            throw ctx.fail(
                    "weights '" + weights.name() + "' must be [units, in], found " + Arrays.toString(weights.shape()));
        }
        if (o.weightsFormat() != 0) {
            throw ctx.fail("shuffled weights format is not supported");
        }
        SlidingWindow.checkBias(ctx, weights.dim(0));
        float[] range = FloatActivation.range(ctx, o.activation());
        if (weights.type() == DataType.INT8) {
            return HybridFullyConnected.create(ctx, o, range[0], range[1]);
        }
        return new FullyConnected(ctx, weights.dim(0), weights.dim(1), o.keepNumDims(), range[0], range[1], loops);
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue input = in[0];
        out[0].resize(shape.ofFullyConnected(input, inSize, units, keepNumDims, dims, opName));
        int batch = input.size() / inSize;
        float[] bias = hasBias ? in[2].f : null;
        if (constantWeights) {
            loops.gemmPacked(input.f, 0, inSize, batch, inSize, packed, bias, units, out[0].f, 0, lo, hi);
        } else {
            FloatGemm.transpose(in[1].f, 0, units, inSize, packed, 0);
            loops.gemm(input.f, 0, inSize, batch, inSize, packed, 0, bias, units, out[0].f, 0, lo, hi);
        }
    }
}
