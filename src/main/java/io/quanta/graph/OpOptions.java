package io.quanta.graph;

/**
 * Builtin options of an operator, one record per TFLite options table. Field defaults follow the TFLite
 * schema's defaults (an absent dilation reads as 1, for example).
 */
public sealed interface OpOptions {

    /**
     * CONV_2D. {@code quantizedBiasType} is the optional bias/accumulator type of quantized convolutions
     * (version 8+), null when the model does not set it.
     */
    record Conv2D(
            Padding padding,
            int strideW,
            int strideH,
            Activation activation,
            int dilationW,
            int dilationH,
            DataType quantizedBiasType)
            implements OpOptions {
        public Conv2D(Padding padding, int strideW, int strideH, Activation activation, int dilationW, int dilationH) {
            this(padding, strideW, strideH, activation, dilationW, dilationH, null);
        }
    }

    /** DEPTHWISE_CONV_2D. */
    record DepthwiseConv2D(
            Padding padding,
            int strideW,
            int strideH,
            int depthMultiplier,
            Activation activation,
            int dilationW,
            int dilationH)
            implements OpOptions {}

    /** TRANSPOSE_CONV; {@code quantizedBiasType} as for {@link Conv2D} (version 5+), null when unset. */
    record TransposeConv(Padding padding, int strideW, int strideH, Activation activation, DataType quantizedBiasType)
            implements OpOptions {
        public TransposeConv(Padding padding, int strideW, int strideH, Activation activation) {
            this(padding, strideW, strideH, activation, null);
        }
    }

    /** AVERAGE_POOL_2D, MAX_POOL_2D. */
    record Pool2D(Padding padding, int strideW, int strideH, int filterWidth, int filterHeight, Activation activation)
            implements OpOptions {}

    /**
     * FULLY_CONNECTED. {@code weightsFormat} 0 is DEFAULT, 1 is SHUFFLED4x16INT8; {@code quantizedBiasType} as
     * for {@link Conv2D} (version 11+), null when unset.
     */
    record FullyConnected(
            Activation activation,
            int weightsFormat,
            boolean keepNumDims,
            boolean asymmetricQuantizeInputs,
            DataType quantizedBiasType)
            implements OpOptions {
        public FullyConnected(
                Activation activation, int weightsFormat, boolean keepNumDims, boolean asymmetricQuantizeInputs) {
            this(activation, weightsFormat, keepNumDims, asymmetricQuantizeInputs, null);
        }
    }

    /** ADD, SUB, MUL, DIV: the fused activation (ADD/SUB's pot_scale_int16 kept for a faithful round trip). */
    record Arithmetic(Activation activation, boolean potScaleInt16) implements OpOptions {}

    /** CONCATENATION. */
    record Concatenation(int axis, Activation activation) implements OpOptions {}

    /** RESHAPE: the optional attribute shape (the shape input tensor takes precedence). */
    record Reshape(int[] newShape) implements OpOptions {
        // Compare the array by content, so that options read twice from the same file are equal.
        @Override
        public boolean equals(Object o) {
            return o instanceof Reshape other && java.util.Arrays.equals(newShape, other.newShape);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(newShape);
        }

        @Override
        public String toString() {
            return "Reshape[newShape=" + java.util.Arrays.toString(newShape) + "]";
        }
    }

    /** SQUEEZE. */
    record Squeeze(int[] squeezeDims) implements OpOptions {
        // Compare the array by content, so that options read twice from the same file are equal.
        @Override
        public boolean equals(Object o) {
            return o instanceof Squeeze other && java.util.Arrays.equals(squeezeDims, other.squeezeDims);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(squeezeDims);
        }

        @Override
        public String toString() {
            return "Squeeze[squeezeDims=" + java.util.Arrays.toString(squeezeDims) + "]";
        }
    }

    /** SOFTMAX. */
    record Softmax(float beta) implements OpOptions {}

    /** CAST: types may be absent in older models (null). */
    record Cast(DataType inType, DataType outType) implements OpOptions {}

    /** SHAPE. */
    record Shape(DataType outType) implements OpOptions {}

    /** STRIDED_SLICE. */
    record StridedSlice(
            int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask, boolean offset)
            implements OpOptions {}

    /** PACK. */
    record Pack(int valuesCount, int axis) implements OpOptions {}

    /** GATHER. */
    record Gather(int axis, int batchDims) implements OpOptions {}

    /** MEAN, SUM, REDUCE_MAX (TFLite's ReducerOptions). */
    record Reducer(boolean keepDims) implements OpOptions {}

    /** UNIDIRECTIONAL_SEQUENCE_LSTM. */
    record SequenceLstm(
            Activation activation,
            float cellClip,
            float projClip,
            boolean timeMajor,
            boolean asymmetricQuantizeInputs,
            boolean diagonalRecurrentTensors)
            implements OpOptions {}

    /** LEAKY_RELU. */
    record LeakyRelu(float alpha) implements OpOptions {}

    /** RESIZE_BILINEAR, RESIZE_NEAREST_NEIGHBOR. */
    record Resize(boolean alignCorners, boolean halfPixelCenters) implements OpOptions {}

    /** SPLIT (SplitOptions) and SPLIT_V (SplitVOptions). */
    record Split(int numSplits) implements OpOptions {}

    /** BATCH_MATMUL. */
    record BatchMatMul(boolean adjX, boolean adjY, boolean asymmetricQuantizeInputs) implements OpOptions {}

    /** L2_NORMALIZATION. */
    record L2Norm(Activation activation) implements OpOptions {}

    /**
     * An options table that carries no fields (PadOptions, TransposeOptions, ExpandDimsOptions, …). The
     * union type is kept so that the writer emits the same table the reader saw.
     */
    record Empty(String tableName) implements OpOptions {}

    /**
     * An options table with fields that Quanta does not model (ArgMaxOptions, StableHLO tables, …). The
     * reader keeps the table's name so the op can be inspected and run by kernels that need no options, but
     * the fields are not decoded: the writer refuses to emit such an op rather than silently dropping them.
     */
    record Unmodelled(String tableName) implements OpOptions {}
}
