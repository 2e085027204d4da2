package io.quanta.graph;

/** Element types a tensor can hold, with their size in bytes (0 where the size is not fixed). */
public enum DataType {
    FLOAT32(4),
    FLOAT16(2),
    INT32(4),
    UINT8(1),
    INT64(8),
    STRING(0),
    BOOL(1),
    INT16(2),
    COMPLEX64(8),
    INT8(1),
    FLOAT64(8),
    COMPLEX128(16),
    UINT64(8),
    RESOURCE(0),
    VARIANT(0),
    UINT32(4),
    UINT16(2),
    INT4(0),
    BFLOAT16(2);

    private final int byteSize;

    DataType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element; 0 for types without a fixed element size (strings, int4, resources). */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == FLOAT64 || this == BFLOAT16;
    }
}
