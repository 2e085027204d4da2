package io.quanta.kernels.int8;

import io.quanta.graph.DataType;
import io.quanta.graph.OpType;
import io.quanta.kernels.KernelFactory;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;
import io.quanta.kernels.fp32.FloatKernels;

/**
 * The int8 kernel set, bit-exact with TensorFlow Lite 2.21's integer kernels. Meant to sit on top of the
 * float set: {@code FloatKernels.registry().with(Int8Kernels.registry())}, so that models mixing float and
 * int8 ops run.
 */
public final class Int8Kernels {
    private Int8Kernels() {}

    public static KernelRegistry registry() {
        KernelRegistry r = new KernelRegistry();
        q(r, OpType.CONV_2D, Int8Conv2D::create);
        q(r, OpType.DEPTHWISE_CONV_2D, Int8DepthwiseConv2D::create);
        q(r, OpType.FULLY_CONNECTED, Int8FullyConnected::create);
        q(r, OpType.ADD, Int8Add::create);
        q(r, OpType.SUB, Int8Sub::create);
        q(r, OpType.MUL, Int8Mul::create);
        q(r, OpType.MAXIMUM, Int8MinMax::maximum);
        q(r, OpType.MINIMUM, Int8MinMax::minimum);
        q(r, OpType.AVERAGE_POOL_2D, Int8Pool::average);
        q(r, OpType.MAX_POOL_2D, Int8Pool::max);
        q(r, OpType.SOFTMAX, Int8Softmax::create);
        q(r, OpType.LOGISTIC, LookupTable::logistic);
        q(r, OpType.TANH, LookupTable::tanh);
        q(r, OpType.RELU, Int8Relu::relu);
        q(r, OpType.RELU6, Int8Relu::relu6);
        q(r, OpType.RELU_N1_TO_1, Int8Relu::reluN1To1);
        q(r, OpType.LEAKY_RELU, Int8LeakyRelu::create);
        q(r, OpType.HARD_SWISH, Int8HardSwish::create);
        q(r, OpType.MEAN, Int8Mean::create);
        q(r, OpType.CONCATENATION, Int8Concatenation::create);
        q(r, OpType.PAD, Int8Pad::pad);
        q(r, OpType.PADV2, Int8Pad::padV2);
        q(r, OpType.RESHAPE, Int8Reshape::create);
        q(r, OpType.SQUEEZE, Int8Reshape::create);
        q(r, OpType.EXPAND_DIMS, Int8Reshape::create);
        q(r, OpType.TRANSPOSE, Int8Transpose::create);
        q(r, OpType.RESIZE_BILINEAR, Int8Resize::bilinear);
        q(r, OpType.RESIZE_NEAREST_NEIGHBOR, Int8Resize::nearest);
        q(r, OpType.QUANTIZE, Int8Quantize::create);
        r.register(OpType.DEQUANTIZE, Flavor.FLOAT, Int8Kernels::dequantize);
        return r;
    }

    private static void q(KernelRegistry r, OpType type, KernelFactory factory) {
        r.register(type, Flavor.QUANTIZED, factory);
    }

    /** DEQUANTIZE yields float: int8/uint8 activations are ours, anything else (float16 weights) the float set's. */
    private static io.quanta.kernels.Kernel dequantize(io.quanta.kernels.OpContext op) {
        DataType in = op.input(0).type();
        if (in == DataType.INT8 || in == DataType.UINT8) {
            return Int8Dequantize.create(op);
        }
        KernelFactory floatFactory = FloatKernels.registry().lookup(op.graph(), op.op());
        if (floatFactory == null) {
            throw op.fail("no kernel dequantizes " + in + " input '" + op.input(0).name() + "'");
        }
        return floatFactory.create(op);
    }
}
