/**
 * The TFLite flatbuffer format: {@link io.quanta.tflite.ModelReader} turns a .tflite file into an
 * {@link io.quanta.graph.Model}, {@link io.quanta.tflite.ModelWriter} writes one back, and
 * {@link io.quanta.tflite.TfLiteTypes} maps graph enums to TFLite codes by name. The flatbuffer classes in
 * {@code io.quanta.tflite.schema} are generated from {@code src/main/fbs/tflite_schema.fbs} by
 * {@code scripts/gen-flatbuffers.sh} and committed, so the build needs no flatc.
 *
 * <p>Decisions:
 * <ul>
 *   <li>Reading validates every index, shape and length and reports any defect as a
 *       {@link io.quanta.tflite.ModelFormatException} naming the place (subgraph, tensor, operator).</li>
 *   <li>A builtin op that {@link io.quanta.graph.OpType} does not name reads as {@code OTHER} with its code;
 *       an options table whose fields Quanta does not model reads as
 *       {@link io.quanta.graph.OpOptions.Unmodelled}, and the writer refuses to emit it rather than drop
 *       the fields. Field-less tables read as {@link io.quanta.graph.OpOptions.Empty} and round-trip.</li>
 *   <li>Sparse tensors, non-affine quantization schemes and tensor types outside
 *       {@link io.quanta.graph.DataType} are rejected when reading, with a message saying so.</li>
 *   <li>Not carried through a round trip (no runtime meaning for Quanta's use): the deprecated
 *       {@code metadata_buffer} list, {@code mutating_variable_inputs}, {@code has_rank}, debug metadata
 *       indices and {@code custom_options_format} (always FLEXBUFFERS).</li>
 *   <li>The writer encodes what it is given (the reader is the validator), deduplicates operator codes,
 *       keeps buffer 0 empty, aligns every constant to 16 bytes, shares a buffer between constants holding
 *       the same array, and writes no field at its default value. It does not write the appended-buffer
 *       form of files over 2 GiB; the reader reads it.</li>
 * </ul>
 */
package io.quanta.tflite;
