package io.quanta.quantize;

/** Element type of the quantized model's inputs or outputs. */
public enum InterfaceType {
    FLOAT32,
    INT8,
    UINT8
}
