package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.Dataset;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.OpType;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineException;
import io.quanta.quantize.OpReport;
import io.quanta.quantize.UnquantizableOpsException;
import io.quanta.report.RunResult;
import io.quanta.testing.QuantaVsTfLite;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SharedModelData;
import io.quanta.testing.Slow;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 3 acceptance: every shared float model, quantized by the pipeline on real (or realistic) calibration
 * data, loads and runs in TFLite 2.21 in int8 mode and computes there what Quanta computes; in int8-only mode it
 * has no float op left and runs, or the run fails listing the ops that could not be quantized, exactly as
 * {@link SharedAssets#INT8_ONLY_REFUSED_OPS} states for that model.
 */
@Slow
class Int8ModelsRunInTfLiteTest {

    static Stream<Path> floatModels() {
        return SharedAssets.floatModels();
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8ModelLoadsAndRunsInTfLite(Path floatModel) {
        Pipeline.Outcome o = Runs.int8(floatModel);
        assertTrue(o.summary().succeeded());
        assertTrue(o.summary().coverage().quantizedOps() > 0, "nothing was quantized in " + floatModel);
        runsInTfLite(floatModel, o.model());
    }

    @ParameterizedTest
    @MethodSource("floatModels")
    void int8OnlyModelQuantizesOrTheRunListsTheOpsTheTableSays(Path floatModel) {
        Object r = Runs.int8Only(floatModel);
        List<String> refused = SharedAssets.int8OnlyRefusedOps(floatModel);
        if (!refused.isEmpty()) {
            PipelineException e = assertInstanceOf(PipelineException.class, r, floatModel + " should be refused");
            assertEquals("UnsupportedOps", e.errorCode(), e.getMessage());
            assertEquals(RunResult.Stage.QUANTIZE, e.stage());
            UnquantizableOpsException cause = (UnquantizableOpsException) e.getCause();
            assertEquals(refused, cause.ops().stream().map(OpReport::opType).toList());
            for (var op : cause.ops()) {
                assertTrue(
                        e.getMessage().contains(op.opType()),
                        "the message names " + op.opType() + ": " + e.getMessage());
            }
            System.out.printf(
                    "%s: int8-only refused: %s%n",
                    Runs.stem(floatModel), e.getMessage().replace('\n', ' '));
            return;
        }
        assertInstanceOf(Pipeline.Outcome.class, r, floatModel + " should quantize in int8-only mode: " + r);
        Pipeline.Outcome o = (Pipeline.Outcome) r;
        Subgraph g = ModelReader.read(o.model()).mainGraph();
        List<String> floatOps = new ArrayList<>();
        for (int n = 0; n < g.operators().size(); n++) {
            Operator op = g.operators().get(n);
            // The float interface's own conversions may touch float, and SHAPE reads only the input's
            // dimensions, never its values.
            if (op.type() == OpType.QUANTIZE || op.type() == OpType.DEQUANTIZE || op.type() == OpType.SHAPE) {
                continue;
            }
            if (touchesFloat(g, op)) {
                floatOps.add("#" + n + " " + op.type());
            }
        }
        assertTrue(floatOps.isEmpty(), floatModel + ": float ops left in int8-only mode: " + floatOps);
        assertEquals(0, o.summary().coverage().floatOps());
        System.out.printf(
                "%s: int8-only ok, %d ops%n",
                Runs.stem(floatModel), g.operators().size());
        runsInTfLite(floatModel, o.model());
    }

    static boolean touchesFloat(Subgraph g, Operator op) {
        for (int t : op.inputs()) {
            if (t >= 0 && g.tensor(t).type() == DataType.FLOAT32) return true;
        }
        for (int t : op.outputs()) {
            if (t >= 0 && g.tensor(t).type() == DataType.FLOAT32) return true;
        }
        return false;
    }

    /**
     * Loads the file in TFLite 2.21 and runs up to three samples of the model's data through it; each must compute
     * what Quanta's interpreter computes.
     */
    static void runsInTfLite(Path floatModel, Path quantized) {
        Model m = ModelReader.read(quantized);
        Dataset samples = Runs.samples(floatModel, m, 3);
        assertTrue(samples.size() > 0, "no samples for " + floatModel);
        for (int s = 0; s < samples.size(); s++) {
            List<byte[]> inputs =
                    samples.sample(s).stream().map(SharedModelData::rawBytes).toList();
            QuantaVsTfLite.assertAgree(Runs.stem(quantized) + " sample " + s, m, inputs);
        }
    }
}
