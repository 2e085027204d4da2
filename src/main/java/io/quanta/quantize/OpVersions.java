package io.quanta.quantize;

import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;

/**
 * The lowest builtin version that supports an op as the quantizer leaves it (after TFLite's op_version rules),
 * so that quantized models still load in older runtimes.
 */
final class OpVersions {
    private OpVersions() {}

    static int versionOf(Operator op, Subgraph g) {
        DataType in0 = typeOf(g, op.input(0));
        DataType in1 = typeOf(g, op.input(1));
        DataType out0 = op.outputCount() > 0 ? typeOf(g, op.output(0)) : null;
        int rank0 = op.input(0) >= 0 ? g.tensor(op.input(0)).rank() : 0;
        boolean int8 = in0 == DataType.INT8;
        boolean hybrid = in0 == DataType.FLOAT32 && in1 == DataType.INT8 && out0 == DataType.FLOAT32;
        boolean perChannelWeights = op.input(1) >= 0
                && g.tensor(op.input(1)).isQuantized()
                && g.tensor(op.input(1)).quant().isPerChannel();
        return switch (op.type()) {
            case CONV_2D -> int8 && in1 == DataType.INT8 ? 3 : hybrid ? (perChannelWeights ? 5 : 2) : op.version();
            case DEPTHWISE_CONV_2D -> {
                if (int8 && in1 == DataType.INT8) yield 3;
                if (hybrid) yield perChannelWeights ? 6 : 4;
                OpOptions.DepthwiseConv2D o = op.options(OpOptions.DepthwiseConv2D.class);
                yield o.dilationW() != 1 || o.dilationH() != 1 ? 2 : 1;
            }
            case FULLY_CONNECTED -> fullyConnected(op, int8 && in1 == DataType.INT8, hybrid, perChannelWeights);
            case ADD,
                    MUL,
                    MAX_POOL_2D,
                    AVERAGE_POOL_2D,
                    SOFTMAX,
                    MEAN,
                    RELU,
                    RELU6,
                    LOGISTIC,
                    TANH,
                    LOG_SOFTMAX,
                    CONCATENATION,
                    GATHER,
                    MAXIMUM,
                    MINIMUM -> int8 ? 2 : op.version();
            case SUB -> int8 ? (needsBroadcastAbove4D(op, g) ? 3 : 2) : op.version();
            case PAD, PADV2 -> rank0 > 4 ? 4 : int8 ? 2 : op.version();
            case TRANSPOSE -> rank0 > 4 ? 4 : int8 ? 2 : op.version();
            case SLICE -> rank0 > 4 ? 5 : int8 ? 2 : op.version();
            case SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND -> rank0 != 4 ? 3 : int8 ? 2 : op.version();
            case STRIDED_SLICE -> stridedSlice(op, int8, rank0);
            case RESIZE_BILINEAR -> {
                OpOptions.Resize o = op.options(OpOptions.Resize.class);
                yield o.halfPixelCenters() ? 3 : int8 ? 2 : 1;
            }
            case RESIZE_NEAREST_NEIGHBOR -> {
                OpOptions.Resize o = op.options(OpOptions.Resize.class);
                yield o.halfPixelCenters() || o.alignCorners() ? 3 : int8 ? 2 : 1;
            }
            case DEQUANTIZE ->
                in0 == DataType.FLOAT16
                        ? 3
                        : in0 == DataType.INT8 ? (g.tensor(op.input(0)).quant().isPerChannel() ? 5 : 2) : 1;
            case QUANTIZE -> out0 == DataType.INT16 ? 2 : 1;
            case RESHAPE, SQUEEZE, EXPAND_DIMS, LEAKY_RELU, HARD_SWISH, SHAPE -> 1;
            // the 8x8_16 integer kernel is in version 1; 2 and 3 are the hybrid (float input, int8 weights) ones
            case UNIDIRECTIONAL_SEQUENCE_LSTM -> int8 ? 1 : op.version();
            default -> op.version();
        };
    }

    private static int fullyConnected(Operator op, boolean int8, boolean hybrid, boolean perChannel) {
        OpOptions.FullyConnected o = op.options() instanceof OpOptions.FullyConnected fc ? fc : null;
        if (hybrid && perChannel) return 12;
        if (op.inputCount() == 2) return 6;
        if (o != null && o.keepNumDims()) return 5;
        if (int8) return 4;
        if (hybrid) return o != null && o.asymmetricQuantizeInputs() ? 9 : 3;
        return o != null && o.weightsFormat() != 0 ? 2 : 1;
    }

    private static int stridedSlice(Operator op, boolean int8, int rank) {
        OpOptions.StridedSlice o = op.options(OpOptions.StridedSlice.class);
        if (o.offset()) return 8;
        if (o.ellipsisMask() != 0 || o.newAxisMask() != 0) return 6;
        if (rank > 4) return 4;
        return int8 ? 2 : 1;
    }

    private static boolean needsBroadcastAbove4D(Operator op, Subgraph g) {
        if (op.input(0) < 0 || op.input(1) < 0) return false;
        Tensor a = g.tensor(op.input(0));
        Tensor b = g.tensor(op.input(1));
        return !java.util.Arrays.equals(a.shape(), b.shape()) && Math.max(a.rank(), b.rank()) > 4;
    }

    private static DataType typeOf(Subgraph g, int t) {
        return t < 0 ? null : g.tensor(t).type();
    }
}
