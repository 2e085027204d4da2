package io.quanta.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import com.google.flatbuffers.Table;
import io.quanta.graph.Activation;
import io.quanta.graph.DataType;
import io.quanta.graph.OpOptions;
import io.quanta.graph.OpType;
import io.quanta.graph.Padding;
import io.quanta.tflite.schema.AddOptions;
import io.quanta.tflite.schema.BatchMatMulOptions;
import io.quanta.tflite.schema.BuiltinOperator;
import io.quanta.tflite.schema.BuiltinOptions;
import io.quanta.tflite.schema.BuiltinOptions2;
import io.quanta.tflite.schema.CastOptions;
import io.quanta.tflite.schema.ConcatenationOptions;
import io.quanta.tflite.schema.Conv2DOptions;
import io.quanta.tflite.schema.DepthwiseConv2DOptions;
import io.quanta.tflite.schema.DivOptions;
import io.quanta.tflite.schema.FullyConnectedOptions;
import io.quanta.tflite.schema.GatherOptions;
import io.quanta.tflite.schema.L2NormOptions;
import io.quanta.tflite.schema.LeakyReluOptions;
import io.quanta.tflite.schema.MulOptions;
import io.quanta.tflite.schema.PackOptions;
import io.quanta.tflite.schema.Pool2DOptions;
import io.quanta.tflite.schema.ReducerOptions;
import io.quanta.tflite.schema.ReshapeOptions;
import io.quanta.tflite.schema.ResizeBilinearOptions;
import io.quanta.tflite.schema.ResizeNearestNeighborOptions;
import io.quanta.tflite.schema.ShapeOptions;
import io.quanta.tflite.schema.SoftmaxOptions;
import io.quanta.tflite.schema.SplitOptions;
import io.quanta.tflite.schema.SplitVOptions;
import io.quanta.tflite.schema.SqueezeOptions;
import io.quanta.tflite.schema.StridedSliceOptions;
import io.quanta.tflite.schema.SubOptions;
import io.quanta.tflite.schema.TransposeConvOptions;
import io.quanta.tflite.schema.UnidirectionalSequenceLSTMOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Converts builtin options tables to {@link OpOptions} records and back. Tables are identified by their
 * union type name, so an op keeps whatever table its file had. Field-less tables become
 * {@link OpOptions.Empty}; tables with fields that Quanta does not model become {@link OpOptions.Unmodelled},
 * which the writer refuses to emit.
 */
final class OptionsCodec {
    /** Which union an options table belongs to, and its type code there. */
    record UnionMember(boolean second, byte type) {}

    private static final Map<String, UnionMember> MEMBERS = new HashMap<>();

    // Tables of the published schema that have no fields: they carry nothing, so reading them loses nothing.
    private static final Set<String> FIELDLESS = Set.of(
            "PadOptions",
            "PadV2Options",
            "SpaceToBatchNDOptions",
            "BatchToSpaceNDOptions",
            "TopKV2Options",
            "TransposeOptions",
            "ExpOptions",
            "CosOptions",
            "LogSoftmaxOptions",
            "DequantizeOptions",
            "MaximumMinimumOptions",
            "TileOptions",
            "GreaterOptions",
            "GreaterEqualOptions",
            "LessOptions",
            "LessEqualOptions",
            "NegOptions",
            "SelectOptions",
            "SliceOptions",
            "ExpandDimsOptions",
            "EqualOptions",
            "NotEqualOptions",
            "RankOptions",
            "PowOptions",
            "LogicalOrOptions",
            "AbsOptions",
            "HardSwishOptions",
            "LogicalAndOptions",
            "LogicalNotOptions",
            "FloorDivOptions",
            "SquareOptions",
            "ZerosLikeOptions",
            "FillOptions",
            "FloorModOptions",
            "RangeOptions",
            "SquaredDifferenceOptions",
            "ReverseV2Options",
            "AddNOptions",
            "GatherNdOptions",
            "WhereOptions",
            "MatrixDiagOptions",
            "QuantizeOptions",
            "MatrixSetDiagOptions",
            "NonMaxSuppressionV4Options",
            "NonMaxSuppressionV5Options",
            "ScatterNdOptions",
            "SelectV2Options",
            "DensifyOptions",
            "SegmentSumOptions",
            "BroadcastToOptions",
            "Rfft2dOptions",
            "HashtableFindOptions",
            "HashtableImportOptions",
            "HashtableSizeOptions",
            "ReadVariableOptions",
            "AssignVariableOptions",
            "DynamicUpdateSliceOptions",
            "UnsortedSegmentProdOptions",
            "UnsortedSegmentMaxOptions",
            "UnsortedSegmentMinOptions",
            "UnsortedSegmentSumOptions",
            "ATan2Options",
            "SignOptions",
            "BitcastOptions",
            "BitwiseXorOptions",
            "RightShiftOptions",
            "DilateOptions",
            "StablehloShiftLeftOptions");

    static {
        for (int t = 1; t < BuiltinOptions.names.length; t++) {
            MEMBERS.put(BuiltinOptions.names[t], new UnionMember(false, (byte) t));
        }
        for (int t = 1; t < BuiltinOptions2.names.length; t++) {
            MEMBERS.put(BuiltinOptions2.names[t], new UnionMember(true, (byte) t));
        }
    }

    private OptionsCodec() {}

    /** Name of a table of the first union, or null for an unknown type code. */
    static String tableName(int unionType, boolean second) {
        String[] names = second ? BuiltinOptions2.names : BuiltinOptions.names;
        return unionType > 0 && unionType < names.length ? names[unionType] : null;
    }

    /** The union member of a table name, or null when the schema has no such table. */
    static UnionMember member(String tableName) {
        return MEMBERS.get(tableName);
    }

    // ----------------------------------------------------------------------------------------------------
    // Reading
    // ----------------------------------------------------------------------------------------------------

    /**
     * Reads the options table {@code name}; {@code union} positions a typed table object at it (the generated
     * union accessor) and returns null when the file has the type but no table.
     */
    static OpOptions decode(String name, UnaryOperator<Table> union, ModelReader.Context cx) {
        switch (name) {
            case "Conv2DOptions": {
                Conv2DOptions o = cast(union, new Conv2DOptions());
                return new OpOptions.Conv2D(
                        padding(o.padding()),
                        o.strideW(),
                        o.strideH(),
                        activation(o.fusedActivationFunction()),
                        o.dilationWFactor(),
                        o.dilationHFactor(),
                        optionalType(o.quantizedBiasType(), "quantized_bias_type"));
            }
            case "DepthwiseConv2DOptions": {
                DepthwiseConv2DOptions o = cast(union, new DepthwiseConv2DOptions());
                return new OpOptions.DepthwiseConv2D(
                        padding(o.padding()),
                        o.strideW(),
                        o.strideH(),
                        o.depthMultiplier(),
                        activation(o.fusedActivationFunction()),
                        o.dilationWFactor(),
                        o.dilationHFactor());
            }
            case "TransposeConvOptions": {
                TransposeConvOptions o = cast(union, new TransposeConvOptions());
                return new OpOptions.TransposeConv(
                        padding(o.padding()),
                        o.strideW(),
                        o.strideH(),
                        activation(o.fusedActivationFunction()),
                        optionalType(o.quantizedBiasType(), "quantized_bias_type"));
            }
            case "Pool2DOptions": {
                Pool2DOptions o = cast(union, new Pool2DOptions());
                return new OpOptions.Pool2D(
                        padding(o.padding()),
                        o.strideW(),
                        o.strideH(),
                        o.filterWidth(),
                        o.filterHeight(),
                        activation(o.fusedActivationFunction()));
            }
            case "FullyConnectedOptions": {
                FullyConnectedOptions o = cast(union, new FullyConnectedOptions());
                int format = o.weightsFormat();
                if (format != 0 && format != 1) {
                    throw new ModelReader.Problem("unknown fully-connected weights_format " + format);
                }
                return new OpOptions.FullyConnected(
                        activation(o.fusedActivationFunction()),
                        format,
                        o.keepNumDims(),
                        o.asymmetricQuantizeInputs(),
                        optionalType(o.quantizedBiasType(), "quantized_bias_type"));
            }
            case "AddOptions": {
                AddOptions o = cast(union, new AddOptions());
                return new OpOptions.Arithmetic(activation(o.fusedActivationFunction()), o.potScaleInt16());
            }
            case "SubOptions": {
                SubOptions o = cast(union, new SubOptions());
                return new OpOptions.Arithmetic(activation(o.fusedActivationFunction()), o.potScaleInt16());
            }
            case "MulOptions":
                // MUL and DIV have no pot_scale_int16: the record holds the schema default of ADD/SUB.
                return new OpOptions.Arithmetic(
                        activation(cast(union, new MulOptions()).fusedActivationFunction()), true);
            case "DivOptions":
                return new OpOptions.Arithmetic(
                        activation(cast(union, new DivOptions()).fusedActivationFunction()), true);
            case "ConcatenationOptions": {
                ConcatenationOptions o = cast(union, new ConcatenationOptions());
                return new OpOptions.Concatenation(o.axis(), activation(o.fusedActivationFunction()));
            }
            case "ReshapeOptions": {
                ReshapeOptions o = cast(union, new ReshapeOptions());
                // An absent new_shape (the shape input rules) stays absent.
                return new OpOptions.Reshape(
                        o.newShapeAsByteBuffer() == null
                                ? null
                                : cx.ints(o::newShapeLength, o::newShapeAsByteBuffer, "new_shape"));
            }
            case "SqueezeOptions": {
                SqueezeOptions o = cast(union, new SqueezeOptions());
                return new OpOptions.Squeeze(cx.ints(o::squeezeDimsLength, o::squeezeDimsAsByteBuffer, "squeeze_dims"));
            }
            case "SoftmaxOptions":
                return new OpOptions.Softmax(cast(union, new SoftmaxOptions()).beta());
            case "CastOptions": {
                CastOptions o = cast(union, new CastOptions());
                return new OpOptions.Cast(type(o.inDataType(), "in_data_type"), type(o.outDataType(), "out_data_type"));
            }
            case "ShapeOptions":
                return new OpOptions.Shape(type(cast(union, new ShapeOptions()).outType(), "out_type"));
            case "StridedSliceOptions": {
                StridedSliceOptions o = cast(union, new StridedSliceOptions());
                return new OpOptions.StridedSlice(
                        o.beginMask(), o.endMask(), o.ellipsisMask(), o.newAxisMask(), o.shrinkAxisMask(), o.offset());
            }
            case "PackOptions": {
                PackOptions o = cast(union, new PackOptions());
                return new OpOptions.Pack(o.valuesCount(), o.axis());
            }
            case "GatherOptions": {
                GatherOptions o = cast(union, new GatherOptions());
                return new OpOptions.Gather(o.axis(), o.batchDims());
            }
            case "ReducerOptions":
                return new OpOptions.Reducer(cast(union, new ReducerOptions()).keepDims());
            case "UnidirectionalSequenceLSTMOptions": {
                UnidirectionalSequenceLSTMOptions o = cast(union, new UnidirectionalSequenceLSTMOptions());
                return new OpOptions.SequenceLstm(
                        activation(o.fusedActivationFunction()),
                        o.cellClip(),
                        o.projClip(),
                        o.timeMajor(),
                        o.asymmetricQuantizeInputs(),
                        o.diagonalRecurrentTensors());
            }
            case "LeakyReluOptions":
                return new OpOptions.LeakyRelu(
                        cast(union, new LeakyReluOptions()).alpha());
            case "ResizeBilinearOptions": {
                ResizeBilinearOptions o = cast(union, new ResizeBilinearOptions());
                return new OpOptions.Resize(o.alignCorners(), o.halfPixelCenters());
            }
            case "ResizeNearestNeighborOptions": {
                ResizeNearestNeighborOptions o = cast(union, new ResizeNearestNeighborOptions());
                return new OpOptions.Resize(o.alignCorners(), o.halfPixelCenters());
            }
            case "SplitOptions":
                return new OpOptions.Split(cast(union, new SplitOptions()).numSplits());
            case "SplitVOptions":
                return new OpOptions.Split(cast(union, new SplitVOptions()).numSplits());
            case "BatchMatMulOptions": {
                BatchMatMulOptions o = cast(union, new BatchMatMulOptions());
                return new OpOptions.BatchMatMul(o.adjX(), o.adjY(), o.asymmetricQuantizeInputs());
            }
            case "L2NormOptions":
                return new OpOptions.L2Norm(
                        activation(cast(union, new L2NormOptions()).fusedActivationFunction()));
            default:
                return FIELDLESS.contains(name) ? new OpOptions.Empty(name) : new OpOptions.Unmodelled(name);
        }
    }

    /** Positions a typed table object at the union's table. */
    private static <T extends Table> T cast(UnaryOperator<Table> union, T typed) {
        if (union.apply(typed) == null) {
            throw new ModelReader.Problem("options type is set but the options table is missing");
        }
        return typed;
    }

    private static Padding padding(byte code) {
        if (code < 0 || code >= Padding.values().length) {
            throw new ModelReader.Problem("unknown padding " + code);
        }
        return Padding.values()[code];
    }

    private static Activation activation(byte code) {
        if (code < 0 || code >= Activation.values().length) {
            throw new ModelReader.Problem("unknown fused activation " + code);
        }
        return Activation.values()[code];
    }

    private static DataType type(byte code, String field) {
        DataType t = TfLiteTypes.dataType(code);
        if (t == null) {
            throw new ModelReader.Problem(field + " has unsupported tensor type " + TfLiteTypes.tensorTypeName(code));
        }
        return t;
    }

    /** A TensorType field whose default (0, FLOAT32) means "not set". */
    private static DataType optionalType(byte code, String field) {
        return code == 0 ? null : type(code, field);
    }

    // ----------------------------------------------------------------------------------------------------
    // Writing
    // ----------------------------------------------------------------------------------------------------

    /** An options table written into the builder, with its union membership. */
    record Encoded(UnionMember member, int offset) {}

    /**
     * Writes the options of an op of builtin code {@code code}; null when the op has none. Fails for options
     * the writer cannot emit faithfully.
     */
    static Encoded encode(FlatBufferBuilder b, OpOptions options, OpType type, int code, String opName) {
        if (options == null) {
            return null;
        }
        if (options instanceof OpOptions.Conv2D o) {
            return of(
                    "Conv2DOptions",
                    Conv2DOptions.createConv2DOptions(
                            b,
                            padding(o.padding()),
                            o.strideW(),
                            o.strideH(),
                            act(o.activation()),
                            o.dilationW(),
                            o.dilationH(),
                            optionalType(o.quantizedBiasType())));
        }
        if (options instanceof OpOptions.DepthwiseConv2D o) {
            return of(
                    "DepthwiseConv2DOptions",
                    DepthwiseConv2DOptions.createDepthwiseConv2DOptions(
                            b,
                            padding(o.padding()),
                            o.strideW(),
                            o.strideH(),
                            o.depthMultiplier(),
                            act(o.activation()),
                            o.dilationW(),
                            o.dilationH()));
        }
        if (options instanceof OpOptions.TransposeConv o) {
            return of(
                    "TransposeConvOptions",
                    TransposeConvOptions.createTransposeConvOptions(
                            b,
                            padding(o.padding()),
                            o.strideW(),
                            o.strideH(),
                            act(o.activation()),
                            optionalType(o.quantizedBiasType())));
        }
        if (options instanceof OpOptions.Pool2D o) {
            return of(
                    "Pool2DOptions",
                    Pool2DOptions.createPool2DOptions(
                            b,
                            padding(o.padding()),
                            o.strideW(),
                            o.strideH(),
                            o.filterWidth(),
                            o.filterHeight(),
                            act(o.activation())));
        }
        if (options instanceof OpOptions.FullyConnected o) {
            return of(
                    "FullyConnectedOptions",
                    FullyConnectedOptions.createFullyConnectedOptions(
                            b,
                            act(o.activation()),
                            (byte) o.weightsFormat(),
                            o.keepNumDims(),
                            o.asymmetricQuantizeInputs(),
                            optionalType(o.quantizedBiasType())));
        }
        if (options instanceof OpOptions.Arithmetic o) {
            switch (code) {
                case BuiltinOperator.ADD:
                    return of("AddOptions", AddOptions.createAddOptions(b, act(o.activation()), o.potScaleInt16()));
                case BuiltinOperator.SUB:
                    return of("SubOptions", SubOptions.createSubOptions(b, act(o.activation()), o.potScaleInt16()));
                case BuiltinOperator.MUL:
                    return of("MulOptions", MulOptions.createMulOptions(b, act(o.activation())));
                case BuiltinOperator.DIV:
                    return of("DivOptions", DivOptions.createDivOptions(b, act(o.activation())));
                default:
                    throw mismatch(opName, options);
            }
        }
        if (options instanceof OpOptions.Concatenation o) {
            return of(
                    "ConcatenationOptions",
                    ConcatenationOptions.createConcatenationOptions(b, o.axis(), act(o.activation())));
        }
        if (options instanceof OpOptions.Reshape o) {
            // ReshapeOptions without new_shape is legal (the shape input rules); keep the absence.
            int shape = o.newShape() == null ? 0 : ReshapeOptions.createNewShapeVector(b, o.newShape());
            return of("ReshapeOptions", ReshapeOptions.createReshapeOptions(b, shape));
        }
        if (options instanceof OpOptions.Squeeze o) {
            // No squeeze_dims and an empty list mean the same (squeeze every size-1 dimension).
            int dims = o.squeezeDims() == null || o.squeezeDims().length == 0
                    ? 0
                    : SqueezeOptions.createSqueezeDimsVector(b, o.squeezeDims());
            return of("SqueezeOptions", SqueezeOptions.createSqueezeOptions(b, dims));
        }
        if (options instanceof OpOptions.Softmax o) {
            return of("SoftmaxOptions", SoftmaxOptions.createSoftmaxOptions(b, o.beta()));
        }
        if (options instanceof OpOptions.Cast o) {
            return of("CastOptions", CastOptions.createCastOptions(b, typeOrZero(o.inType()), typeOrZero(o.outType())));
        }
        if (options instanceof OpOptions.Shape o) {
            return of("ShapeOptions", ShapeOptions.createShapeOptions(b, typeOrZero(o.outType())));
        }
        if (options instanceof OpOptions.StridedSlice o) {
            return of(
                    "StridedSliceOptions",
                    StridedSliceOptions.createStridedSliceOptions(
                            b,
                            o.beginMask(),
                            o.endMask(),
                            o.ellipsisMask(),
                            o.newAxisMask(),
                            o.shrinkAxisMask(),
                            o.offset()));
        }
        if (options instanceof OpOptions.Pack o) {
            return of("PackOptions", PackOptions.createPackOptions(b, o.valuesCount(), o.axis()));
        }
        if (options instanceof OpOptions.Gather o) {
            return of("GatherOptions", GatherOptions.createGatherOptions(b, o.axis(), o.batchDims()));
        }
        if (options instanceof OpOptions.Reducer o) {
            return of("ReducerOptions", ReducerOptions.createReducerOptions(b, o.keepDims()));
        }
        if (options instanceof OpOptions.SequenceLstm o) {
            return of(
                    "UnidirectionalSequenceLSTMOptions",
                    UnidirectionalSequenceLSTMOptions.createUnidirectionalSequenceLSTMOptions(
                            b,
                            act(o.activation()),
                            o.cellClip(),
                            o.projClip(),
                            o.timeMajor(),
                            o.asymmetricQuantizeInputs(),
                            o.diagonalRecurrentTensors()));
        }
        if (options instanceof OpOptions.LeakyRelu o) {
            return of("LeakyReluOptions", LeakyReluOptions.createLeakyReluOptions(b, o.alpha()));
        }
        if (options instanceof OpOptions.Resize o) {
            if (code == BuiltinOperator.RESIZE_BILINEAR) {
                return of(
                        "ResizeBilinearOptions",
                        ResizeBilinearOptions.createResizeBilinearOptions(b, o.alignCorners(), o.halfPixelCenters()));
            }
            if (code == BuiltinOperator.RESIZE_NEAREST_NEIGHBOR) {
                return of(
                        "ResizeNearestNeighborOptions",
                        ResizeNearestNeighborOptions.createResizeNearestNeighborOptions(
                                b, o.alignCorners(), o.halfPixelCenters()));
            }
            throw mismatch(opName, options);
        }
        if (options instanceof OpOptions.Split o) {
            return code == BuiltinOperator.SPLIT_V
                    ? of("SplitVOptions", SplitVOptions.createSplitVOptions(b, o.numSplits()))
                    : of("SplitOptions", SplitOptions.createSplitOptions(b, o.numSplits()));
        }
        if (options instanceof OpOptions.BatchMatMul o) {
            return of(
                    "BatchMatMulOptions",
                    BatchMatMulOptions.createBatchMatMulOptions(b, o.adjX(), o.adjY(), o.asymmetricQuantizeInputs()));
        }
        if (options instanceof OpOptions.L2Norm o) {
            return of("L2NormOptions", L2NormOptions.createL2NormOptions(b, act(o.activation())));
        }
        if (options instanceof OpOptions.Empty o) {
            UnionMember m = member(o.tableName());
            if (m == null || !FIELDLESS.contains(o.tableName())) {
                throw new ModelFormatException(opName + ": '" + o.tableName()
                        + "' is not a field-less TFLite options table, so it cannot be written as empty options");
            }
            b.startTable(0);
            return new Encoded(m, b.endTable());
        }
        if (options instanceof OpOptions.Unmodelled o) {
            throw new ModelFormatException(opName + " has options table " + o.tableName()
                    + " whose fields Quanta does not model; it cannot write this op without losing them");
        }
        throw new ModelFormatException(opName + ": cannot write options " + options);
    }

    private static Encoded of(String table, int offset) {
        return new Encoded(MEMBERS.get(table), offset);
    }

    private static ModelFormatException mismatch(String opName, OpOptions options) {
        return new ModelFormatException(opName + ": options " + options + " do not belong to this op");
    }

    private static byte padding(Padding p) {
        return (byte) p.ordinal();
    }

    private static byte act(Activation a) {
        return (byte) (a == null ? 0 : a.ordinal());
    }

    private static byte optionalType(DataType t) {
        return t == null ? 0 : TfLiteTypes.tensorType(t);
    }

    private static byte typeOrZero(DataType t) {
        return t == null ? 0 : TfLiteTypes.tensorType(t);
    }
}
