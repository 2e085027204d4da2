package io.quanta.kernels.int16;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelRegistry;

/**
 * The int16 (16x8) kernel set, bit-exact with TensorFlow Lite 2.21's int16 kernels: int16 activations with zero
 * point 0, int8 weights, int64 bias. Meant to sit on top of the float and int8 sets; ops whose first output is int16
 * take these, data movement (RESHAPE, PAD, CONCATENATION, ...) comes from the type-generic float set.
 */
public final class Int16Kernels {
    private Int16Kernels() {}

    public static KernelRegistry registry() {
        return new KernelRegistry()
                .registerInt16(OpType.CONV_2D, Conv2D::conv)
                .registerInt16(OpType.DEPTHWISE_CONV_2D, Conv2D::depthwise)
                .registerInt16(OpType.FULLY_CONNECTED, FullyConnected::create)
                .registerInt16(OpType.ADD, ElementwiseBinary::add)
                .registerInt16(OpType.SUB, ElementwiseBinary::sub)
                .registerInt16(OpType.MUL, ElementwiseBinary::mul)
                .registerInt16(OpType.AVERAGE_POOL_2D, Pool2D::average)
                .registerInt16(OpType.MAX_POOL_2D, Pool2D::max)
                .registerInt16(OpType.SOFTMAX, Softmax::create)
                .registerInt16(OpType.LOGISTIC, Sigmoid::logistic)
                .registerInt16(OpType.TANH, Sigmoid::tanh)
                .registerInt16(OpType.MAXIMUM, ElementwiseBinary::maximum)
                .registerInt16(OpType.MINIMUM, ElementwiseBinary::minimum)
                .registerInt16(OpType.LEAKY_RELU, LeakyRelu::create)
                .registerInt16(OpType.MEAN, Mean::create);
    }
}
