package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.data.Dataset;
import io.quanta.graph.DataType;
import io.quanta.graph.Model;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.pipeline.Pipeline;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.Slow;
import io.quanta.testing.TfLiteRuntime;
import io.quanta.tflite.ModelReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 acceptance: int8-only with int8 input and output on tiny_vww_96_float yields a model in which no op
 * reads or writes a float tensor, and TFLite 2.21 runs it and tells the person from the empty scene as the
 * float model does.
 */
@Slow
class IntegerOnlyVwwTest {
    @Test
    void noOpReadsOrWritesAFloatTensor() {
        Pipeline.Outcome o = Runs.vwwIntegerOnly();
        Model m = ModelReader.read(o.model());
        Subgraph g = m.mainGraph();
        for (int n = 0; n < g.operators().size(); n++) {
            Operator op = g.operators().get(n);
            for (int t : op.inputs()) {
                assertTrue(
                        t < 0 || g.tensor(t).type() != DataType.FLOAT32,
                        "op #" + n + " " + op.type() + " reads float tensor '"
                                + g.tensor(t).name() + "'");
            }
            for (int t : op.outputs()) {
                assertNotEquals(
                        DataType.FLOAT32,
                        g.tensor(t).type(),
                        "op #" + n + " " + op.type() + " writes float tensor '"
                                + g.tensor(t).name() + "'");
            }
        }
        assertEquals(DataType.INT8, g.inputTensor(0).type());
        assertEquals(DataType.INT8, g.outputTensor(0).type());

        Dataset images = Runs.samples(SharedAssets.floatModel("tiny_vww_96_float.tflite"), m, 0);
        Path floatModel = SharedAssets.floatModel("tiny_vww_96_float.tflite");
        Dataset floatImages = Runs.samples(floatModel, ModelReader.read(floatModel), 0);
        try (TfLiteRuntime rt = new TfLiteRuntime(o.model());
                TfLiteRuntime ref = new TfLiteRuntime(floatModel)) {
            for (int s = 0; s < images.size(); s++) {
                rt.invoke(images.sample(s));
                ref.invoke(floatImages.sample(s));
                assertEquals(ref.argmax(), rt.argmax(), images.sourceOf(s));
            }
        }
    }
}
