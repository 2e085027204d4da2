package io.quanta.kernels.convert;

import io.quanta.graph.ChannelAxis;
import io.quanta.graph.DataType;
import io.quanta.graph.Half;
import io.quanta.graph.QuantParams;
import io.quanta.graph.Tensor;
import io.quanta.kernels.Kernel;
import io.quanta.kernels.OpChecks;
import io.quanta.kernels.OpContext;
import io.quanta.kernels.TensorValue;

/**
 * DEQUANTIZE to float32: int8/uint8/int16 as scale * (q - zeroPoint), per tensor or per channel along the
 * quantized dimension; float16 widened exactly.
 */
public final class Dequantize {
    private Dequantize() {}

    public static Kernel create(OpContext ctx) {
        Tensor input = ctx.input(0);
        if (ctx.output(0).type() != DataType.FLOAT32) {
            throw OpChecks.unsupportedType(ctx, ctx.output(0));
        }
        if (input.type() == DataType.FLOAT16) {
            return (in, out) -> {
                out[0].resize(in[0].shape());
                for (int k = 0, n = in[0].size(); k < n; k++) {
                    out[0].f[k] = Half.toFloat(in[0].s[k]);
                }
            };
        }
        if (input.type() != DataType.INT8 && input.type() != DataType.UINT8 && input.type() != DataType.INT16) {
            throw OpChecks.unsupportedType(ctx, input);
        }
        if (!input.isQuantized()) {
            throw ctx.fail("input " + OpChecks.describe(input) + " has no quantization parameters");
        }
        QuantParams q = input.quant();
        int axis = q.isPerChannel() ? q.quantizedDimension() : -1;
        if (axis >= input.rank()) {
            throw ctx.fail("quantized dimension " + axis + " is outside input " + OpChecks.describe(input));
        }
        return (in, out) -> {
            TensorValue x = in[0];
            int[] shape = x.shape();
            out[0].resize(shape);
            ChannelAxis channels = ChannelAxis.of(shape, axis);
            if (axis >= 0 && q.scale().length != channels.channels()) {
                throw OpChecks.runtime(ctx, q.scale().length + " scales for " + channels.channels() + " channels");
            }
            float[] y = out[0].f;
            for (int k = 0, n = x.size(); k < n; k++) {
                int c = channels.channelOf(k);
                y[k] = q.scale(c) * (int) (stored(x, k) - q.zeroPoint(c));
            }
        };
    }

    /** The stored integer of element k (uint8 read unsigned). */
    static int stored(TensorValue v, int k) {
        return switch (v.type) {
            case INT8 -> v.b[k];
            case UINT8 -> v.b[k] & 0xff;
            case INT16 -> v.s[k];
            default -> throw new IllegalStateException(v.type.name());
        };
    }
}
