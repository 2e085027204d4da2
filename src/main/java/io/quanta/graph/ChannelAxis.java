package io.quanta.graph;

/**
 * The channel each element of a row-major tensor belongs to along one dimension (per-channel quantization's
 * quantized dimension): element i sits in channel {@code (i / inner) % channels}, where inner is the product of
 * the dimensions after the axis. Axis -1 means per tensor: every element is in channel 0.
 */
public record ChannelAxis(int inner, int channels) {

    public static ChannelAxis of(int[] shape, int axis) {
        if (axis < 0) {
            return new ChannelAxis(1, 1);
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new ChannelAxis(inner, shape[axis]);
    }

    public int channelOf(int index) {
        return (index / inner) % channels;
    }
}
