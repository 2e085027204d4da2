package io.quanta.quantize;

/**
 * How one op type is quantized to int8.
 *
 * @param kind        the family of rule
 * @param weightAxis  AFFINE ops: the per-channel axis of the weights (input 1)
 * @param fixedScale  FIXED_OUTPUT ops: the output scale the int8 kernel expects
 * @param fixedZeroPoint FIXED_OUTPUT ops: the output zero point the int8 kernel expects
 */
public record OpRule(Kind kind, int weightAxis, float fixedScale, int fixedZeroPoint) {

    public enum Kind {
        /** Input 0 activation, input 1 constant weights (symmetric int8), input 2 int32 bias; own output range. */
        AFFINE,
        /** Every activation input and the output keep their own scale (the kernel rescales). */
        OWN_SCALE,
        /** Output shares input 0's scale and zero point (data movement, pooling). */
        SAME_SCALE,
        /** All activation inputs and the output share the output's scale; inputs are requantized if needed. */
        SAME_SCALE_ALL,
        /** The output has parameters fixed by the kernel (softmax, logistic, tanh). */
        FIXED_OUTPUT,
        /** The op only reads the shape of its input: any element type will do (SHAPE). */
        TYPE_AGNOSTIC,
        /** UNIDIRECTIONAL_SEQUENCE_LSTM: int8 weights and states, int16 cell state (see LstmQuantization). */
        LSTM
    }

    static OpRule affine(int weightAxis) {
        return new OpRule(Kind.AFFINE, weightAxis, 0f, 0);
    }

    static OpRule of(Kind kind) {
        return new OpRule(kind, -1, 0f, 0);
    }

    static OpRule fixed(float scale, int zeroPoint) {
        return new OpRule(Kind.FIXED_OUTPUT, -1, scale, zeroPoint);
    }
}
