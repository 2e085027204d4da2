package io.quanta.kernels.fp32;

import io.quanta.graph.OpType;
import io.quanta.kernels.KernelRegistry;
import io.quanta.kernels.KernelRegistry.Flavor;

/**
 * Data-movement, reduction and recurrent kernels. Ops that only move stored values
 * serve both flavors: their factories refuse a quantized op whose input and output quantization differ.
 */
public final class ShapeKernels {
    private ShapeKernels() {}

    public static void register(KernelRegistry r) {
        r.registerAny(OpType.RESHAPE, Reshape::create);
        r.registerAny(OpType.SQUEEZE, Squeeze::create);
        r.registerAny(OpType.EXPAND_DIMS, ExpandDims::create);
        r.registerAny(OpType.STRIDED_SLICE, StridedSlice::create);
        r.registerAny(OpType.SLICE, Slice::create);
        r.registerAny(OpType.PACK, Pack::create);
        r.registerAny(OpType.GATHER, Gather::create);
        r.registerAny(OpType.TRANSPOSE, Transpose::create);
        r.registerAny(OpType.SPLIT, Split::create);
        r.registerAny(OpType.CONCATENATION, Concatenation::create);
        r.registerAny(OpType.PAD, Pad::create);
        r.registerAny(OpType.PADV2, Pad::create);
        r.registerAny(OpType.SPACE_TO_BATCH_ND, SpaceToBatchNd::create);
        r.registerAny(OpType.BATCH_TO_SPACE_ND, BatchToSpaceNd::create);
        r.registerAny(OpType.REDUCE_MAX, ReduceMax::create);
        r.register(OpType.MEAN, Flavor.FLOAT, Mean::create);
        r.register(OpType.SUM, Flavor.FLOAT, Sum::create);
        r.register(OpType.SHAPE, Flavor.FLOAT, ShapeOf::create);
        r.register(OpType.UNIDIRECTIONAL_SEQUENCE_LSTM, Flavor.FLOAT, SequenceLstm::create);
    }
}
