package io.quanta.kernels.fp32;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.ShapeMemo;
import io.quanta.kernels.TensorValue;
import java.util.Arrays;

/**
 * BATCH_MATMUL on float: lhs [..., M, K] (or [..., K, M] with adj_x) times rhs [..., K, N] (or [..., N, K]
 * with adj_y), batch dimensions broadcast. The right side is packed [K][N] per batch for {@link FloatGemm}:
 * once when constant, else per call; an adjoint left side is transposed per batch into scratch.
 */
final class BatchMatMul implements Kernel {
    private final boolean adjX;
    private final boolean adjY;
    private final boolean constantRhs;
    private final String opName;
    private final ShapeMemo shape = new ShapeMemo();
    private float[] packedRhs = new float[0];
    private float[] lhsScratch = new float[0];
    private int[] lastA = new int[] {-1};
    private int[] lastB = new int[] {-1};
    private int[] outShape;
    private int[] batchOfA;
    private int[] batchOfB;
    private int m;
    private int k;
    private int n;

    private BatchMatMul(OpContext ctx, boolean adjX, boolean adjY) {
        this.adjX = adjX;
        this.adjY = adjY;
        this.constantRhs = ctx.input(1).isConstant();
        this.opName = ctx.op().displayName() + " (node " + ctx.index() + ")";
    }

    static Kernel create(OpContext ctx) {
        OpOptions.BatchMatMul o = ctx.options(OpOptions.BatchMatMul.class);
        for (int i = 0; i < 2; i++) {
            Tensor t = ctx.input(i);
            if (t.type() != DataType.FLOAT32) {
                throw ctx.fail("input " + i + " '" + t.name() + "' is " + t.type() + ", expected FLOAT32");
            }
            if (t.rank() < 2) {
                throw ctx.fail(
                        "input " + i + " '" + t.name() + "' must have rank >= 2, found " + Arrays.toString(t.shape()));
            }
        }
        return new BatchMatMul(ctx, o.adjX(), o.adjY());
    }

    @Override
    public void invoke(TensorValue[] in, TensorValue[] out) {
        TensorValue a = in[0];
        TensorValue b = in[1];
        boolean rhsChanged = plan(a, b);
        TensorValue o = out[0];
        o.resize(outShape);
        int batches = batchOfA.length;
        int rhsBatches = b.size() / (k * n);
        if (!constantRhs || rhsChanged) {
            packRhs(b, rhsBatches);
        }
        if (adjX && lhsScratch.length < m * k) {
            lhsScratch = new float[m * k];
        }
        for (int t = 0; t < batches; t++) {
            int aOff = batchOfA[t] * m * k;
            float[] lhs = a.f;
            if (adjX) {
                FloatGemm.transpose(a.f, aOff, k, m, lhsScratch, 0);
                lhs = lhsScratch;
                aOff = 0;
            }
            FloatGemm.multiply(
                    lhs,
                    aOff,
                    k,
                    m,
                    k,
                    packedRhs,
                    batchOfB[t] * k * n,
                    null,
                    n,
                    o.f,
                    t * m * n,
                    Float.NEGATIVE_INFINITY,
                    Float.POSITIVE_INFINITY);
        }
    }

    private void packRhs(TensorValue b, int rhsBatches) {
        if (packedRhs.length < b.size()) {
            packedRhs = new float[b.size()];
        }
        if (adjY) {
            for (int t = 0; t < rhsBatches; t++) {
                FloatGemm.transpose(b.f, t * k * n, n, k, packedRhs, t * k * n);
            }
        } else {
            System.arraycopy(b.f, 0, packedRhs, 0, b.size());
        }
    }

    /** Recomputes dimensions and batch mapping when the input shapes change; true when they did. */
    private boolean plan(TensorValue a, TensorValue b) {
        int[] sa = a.shape();
        int[] sb = b.shape();
        if (Arrays.equals(sa, lastA) && Arrays.equals(sb, lastB)) {
            return false;
        }
        int ra = sa.length;
        int rb = sb.length;
        m = adjX ? sa[ra - 1] : sa[ra - 2];
        k = adjX ? sa[ra - 2] : sa[ra - 1];
        int kb = adjY ? sb[rb - 1] : sb[rb - 2];
        n = adjY ? sb[rb - 2] : sb[rb - 1];
        if (k != kb) {
            throw new IllegalArgumentException(opName + ": inner dimensions differ: lhs " + Arrays.toString(sa)
                    + (adjX ? " (adj_x)" : "") + " vs rhs " + Arrays.toString(sb) + (adjY ? " (adj_y)" : ""));
        }
        int[] batchA = Arrays.copyOf(sa, ra - 2);
        int[] batchB = Arrays.copyOf(sb, rb - 2);
        int[] batch;
        try {
            batch = Broadcast.shapeOf(batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(opName + ": batch " + e.getMessage());
        }
        int count = 1;
        for (int d : batch) {
            count *= d;
        }
        batchOfA = new int[count];
        batchOfB = new int[count];
        for (int t = 0; t < count; t++) {
            batchOfA[t] = sourceIndex(t, batch, batchA);
            batchOfB[t] = sourceIndex(t, batch, batchB);
        }
        int[] dims = Arrays.copyOf(batch, batch.length + 2);
        dims[batch.length] = m;
        dims[batch.length + 1] = n;
        outShape = shape.of(dims, dims.length);
        lastA = sa;
        lastB = sb;
        return true;
    }

    /** The flat index, in a (right-aligned, possibly broadcast) source shape, of output batch t. */
    private static int sourceIndex(int t, int[] out, int[] src) {
        int index = 0;
        int stride = 1;
        int rest = t;
        for (int d = out.length - 1; d >= 0; d--) {
            int coord = rest % out[d];
            rest /= out[d];
            int s = d - (out.length - src.length);
            if (s >= 0) {
                index += (src[s] == 1 ? 0 : coord) * stride;
                stride *= src[s];
            }
        }
        return index;
    }
}
