package io.quanta.kernels.int8;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelFactory;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;

/**
 * The int8 kernel set, bit-exact with TensorFlow Lite 2.21's integer kernels. Meant to sit on top of the
 * float set: {@code FloatKernels.registry().with(Int8Kernels.registry())}, so that models mixing float and
 * int8 ops run. Type-generic data movement (RESHAPE, SQUEEZE, EXPAND_DIMS, TRANSPOSE, PAD, PADV2,
 * RESIZE_NEAREST_NEIGHBOR, ...) and QUANTIZE / DEQUANTIZE come from the float set, which handles int8 for them.
 */
public final class Int8Kernels {
    private Int8Kernels() {}

    public static KernelRegistry registry() {
        KernelRegistry r = new KernelRegistry();
        q(r, OpType.CONV_2D, Conv2D::create);
        q(r, OpType.DEPTHWISE_CONV_2D, DepthwiseConv2D::create);
        q(r, OpType.FULLY_CONNECTED, FullyConnected::create);
        q(r, OpType.ADD, Add::create);
        q(r, OpType.SUB, Sub::create);
        q(r, OpType.MUL, Mul::create);
        q(r, OpType.MAXIMUM, MinMax::maximum);
        q(r, OpType.MINIMUM, MinMax::minimum);
        q(r, OpType.AVERAGE_POOL_2D, Pool2D::average);
        q(r, OpType.MAX_POOL_2D, Pool2D::max);
        q(r, OpType.SOFTMAX, Softmax::create);
        q(r, OpType.LOGISTIC, LookupTable::logistic);
        q(r, OpType.TANH, LookupTable::tanh);
        q(r, OpType.RELU, Relu::relu);
        q(r, OpType.RELU6, Relu::relu6);
        q(r, OpType.RELU_N1_TO_1, Relu::reluN1To1);
        q(r, OpType.LEAKY_RELU, LeakyRelu::create);
        q(r, OpType.HARD_SWISH, HardSwish::create);
        q(r, OpType.MEAN, Mean::create);
        q(r, OpType.CONCATENATION, Concatenation::create);
        q(r, OpType.RESIZE_BILINEAR, ResizeBilinear::create);
        q(r, OpType.UNIDIRECTIONAL_SEQUENCE_LSTM, SequenceLstm::create);
        return r;
    }

    private static void q(KernelRegistry r, OpType type, KernelFactory factory) {
        r.register(type, Flavor.QUANTIZED, factory);
    }
}
