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

        r.register(OpType.ADD, FLOAT, Add::create);
        r.register(OpType.SUB, FLOAT, Sub::create);
        r.register(OpType.MUL, FLOAT, Mul::create);
        r.register(OpType.DIV, FLOAT, Div::create);
        r.register(OpType.MAXIMUM, FLOAT, Maximum::create);
        r.register(OpType.MINIMUM, FLOAT, Minimum::create);
        r.register(OpType.SQUARED_DIFFERENCE, FLOAT, SquaredDifference::create);
        r.register(OpType.FLOOR_MOD, FLOAT, FloorMod::create);

        r.register(OpType.LOGISTIC, FLOAT, Logistic::create);
        r.register(OpType.TANH, FLOAT, Tanh::create);
        r.register(OpType.RELU, FLOAT, Relu::create);
        r.register(OpType.RELU_N1_TO_1, FLOAT, ReluN1To1::create);
        r.register(OpType.RELU6, FLOAT, Relu6::create);
        r.register(OpType.LEAKY_RELU, FLOAT, LeakyRelu::create);
        r.register(OpType.HARD_SWISH, FLOAT, HardSwish::create);
        r.register(OpType.EXP, FLOAT, Exp::create);
        r.register(OpType.LOG, FLOAT, Log::create);
        r.register(OpType.SQRT, FLOAT, Sqrt::create);
        r.register(OpType.RSQRT, FLOAT, Rsqrt::create);

        r.register(OpType.SOFTMAX, FLOAT, Softmax::create);
        r.register(OpType.LOG_SOFTMAX, FLOAT, LogSoftmax::create);
        r.register(OpType.L2_NORMALIZATION, FLOAT, L2Normalization::create);
        r.register(OpType.RESIZE_BILINEAR, FLOAT, ResizeBilinear::create);
        r.registerAny(OpType.RESIZE_NEAREST_NEIGHBOR, ResizeNearestNeighbor::create);
    }
}
