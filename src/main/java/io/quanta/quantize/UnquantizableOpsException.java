package io.quanta.quantize;

import java.util.List;

/** INT8_ONLY mode met ops that cannot run in int8: every one of them is listed. */
public final class UnquantizableOpsException extends RuntimeException {
    private final List<OpReport> ops;

    UnquantizableOpsException(List<OpReport> ops, String details) {
        super(ops.size() + " op(s) cannot be quantized to int8 (mode INT8_ONLY allows no float op):\n" + details);
        this.ops = List.copyOf(ops);
    }

    public List<OpReport> ops() {
        return ops;
    }
}
