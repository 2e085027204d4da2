package io.quanta.kernels.fp32;

import static io.quanta.kernels.KernelRegistry.Flavor.FLOAT;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelRegistry;

/** Registers the float compute kernels: convolutions, matrix products, pooling, element-wise math. */
public final class ComputeKernels {
    private ComputeKernels() {}

    public static void registerCompute(KernelRegistry r) {
        r.register(OpType.CONV_2D, FLOAT, Conv2D::create);
        r.register(OpType.DEPTHWISE_CONV_2D, FLOAT, DepthwiseConv2D::create);
        r.register(OpType.FULLY_CONNECTED, FLOAT, FullyConnected::create);
        r.register(OpType.TRANSPOSE_CONV, FLOAT, TransposeConv::create);
        r.register(OpType.BATCH_MATMUL, FLOAT, BatchMatMul::create);
        r.register(OpType.AVERAGE_POOL_2D, FLOAT, Pool2D::average);
        r.register(OpType.MAX_POOL_2D, FLOAT, Pool2D::max);

        r.register(OpType.ADD, FLOAT, ctx -> ElementwiseBinary.create(ctx, Add::new));
        r.register(OpType.SUB, FLOAT, ctx -> ElementwiseBinary.create(ctx, Sub::new));
        r.register(OpType.MUL, FLOAT, ctx -> ElementwiseBinary.create(ctx, Mul::new));
        r.register(OpType.DIV, FLOAT, ctx -> ElementwiseBinary.create(ctx, Div::new));
        r.register(OpType.MAXIMUM, FLOAT, ctx -> ElementwiseBinary.create(ctx, Maximum::new));
        r.register(OpType.MINIMUM, FLOAT, ctx -> ElementwiseBinary.create(ctx, Minimum::new));
        r.register(OpType.SQUARED_DIFFERENCE, FLOAT, ctx -> ElementwiseBinary.create(ctx, SquaredDifference::new));
        r.register(OpType.FLOOR_MOD, FLOAT, ctx -> ElementwiseBinary.create(ctx, FloorMod::new));

        r.register(OpType.LOGISTIC, FLOAT, ctx -> ElementwiseUnary.create(ctx, Logistic::new));
        r.register(OpType.TANH, FLOAT, ctx -> ElementwiseUnary.create(ctx, Tanh::new));
        r.register(OpType.RELU, FLOAT, ctx -> ElementwiseUnary.create(ctx, Relu::new));
        r.register(OpType.RELU_N1_TO_1, FLOAT, ctx -> ElementwiseUnary.create(ctx, ReluN1To1::new));
        r.register(OpType.RELU6, FLOAT, ctx -> ElementwiseUnary.create(ctx, Relu6::new));
        r.register(OpType.LEAKY_RELU, FLOAT, LeakyRelu::create);
        r.register(OpType.HARD_SWISH, FLOAT, ctx -> ElementwiseUnary.create(ctx, HardSwish::new));
        r.register(OpType.EXP, FLOAT, ctx -> ElementwiseUnary.create(ctx, Exp::new));
        r.register(OpType.LOG, FLOAT, ctx -> ElementwiseUnary.create(ctx, Log::new));
        r.register(OpType.SQRT, FLOAT, ctx -> ElementwiseUnary.create(ctx, Sqrt::new));
        r.register(OpType.RSQRT, FLOAT, ctx -> ElementwiseUnary.create(ctx, Rsqrt::new));

        r.register(OpType.SOFTMAX, FLOAT, Softmax::create);
        r.register(OpType.LOG_SOFTMAX, FLOAT, LogSoftmax::create);
        r.register(OpType.L2_NORMALIZATION, FLOAT, L2Normalization::create);
        r.register(OpType.RESIZE_BILINEAR, FLOAT, ResizeBilinear::create);
        r.registerAny(OpType.RESIZE_NEAREST_NEIGHBOR, ResizeNearestNeighbor::create);
    }
}
