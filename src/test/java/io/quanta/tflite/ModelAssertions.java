package io.quanta.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quanta.graph.Metadata;
import io.quanta.graph.Model;
import io.quanta.graph.Operator;
import io.quanta.graph.Subgraph;
import io.quanta.graph.Tensor;

/** Deep equality of two in-memory models, with messages that say which tensor or op differs. */
final class ModelAssertions {
    private ModelAssertions() {}

    static void assertSameModel(Model expected, Model actual) {
        assertEquals(expected.version(), actual.version(), "schema version");
        assertEquals(expected.description(), actual.description(), "description");
        assertEquals(expected.subgraphs().size(), actual.subgraphs().size(), "subgraph count");
        for (int s = 0; s < expected.subgraphs().size(); s++) {
            assertSameSubgraph(expected.subgraphs().get(s), actual.subgraphs().get(s), "subgraph " + s);
        }
        assertEquals(expected.metadata().size(), actual.metadata().size(), "metadata count");
        for (int i = 0; i < expected.metadata().size(); i++) {
            Metadata e = expected.metadata().get(i);
            Metadata a = actual.metadata().get(i);
            assertEquals(e.name(), a.name(), "metadata " + i + " name");
            assertArrayEquals(e.data(), a.data(), "metadata '" + e.name() + "' bytes");
        }
        assertEquals(expected.signatureDefs(), actual.signatureDefs(), "signature defs");
    }

    static void assertSameSubgraph(Subgraph e, Subgraph a, String where) {
        assertEquals(e.name(), a.name(), where + " name");
        assertArrayEquals(e.inputs(), a.inputs(), where + " inputs");
        assertArrayEquals(e.outputs(), a.outputs(), where + " outputs");
        assertEquals(e.tensors().size(), a.tensors().size(), where + " tensor count");
        for (int t = 0; t < e.tensors().size(); t++) {
            Tensor te = e.tensor(t);
            Tensor ta = a.tensor(t);
            String w = where + " tensor " + t + " '" + te.name() + "'";
            assertEquals(te.name(), ta.name(), w + " name");
            assertEquals(te.type(), ta.type(), w + " type");
            assertArrayEquals(te.shape(), ta.shape(), w + " shape");
            assertArrayEquals(te.shapeSignature(), ta.shapeSignature(), w + " shape signature");
            assertArrayEquals(te.data(), ta.data(), w + " data");
            assertEquals(te.quant(), ta.quant(), w + " quantization");
            assertEquals(te.isVariable(), ta.isVariable(), w + " variable flag");
        }
        assertEquals(e.operators().size(), a.operators().size(), where + " operator count");
        for (int n = 0; n < e.operators().size(); n++) {
            Operator oe = e.operators().get(n);
            Operator oa = a.operators().get(n);
            String w = where + " operator " + n + " " + oe.displayName();
            assertEquals(oe.type(), oa.type(), w + " type");
            assertEquals(oe.builtinCode(), oa.builtinCode(), w + " builtin code");
            assertEquals(oe.customCode(), oa.customCode(), w + " custom code");
            assertEquals(oe.version(), oa.version(), w + " version");
            assertArrayEquals(oe.inputs(), oa.inputs(), w + " inputs");
            assertArrayEquals(oe.outputs(), oa.outputs(), w + " outputs");
            assertArrayEquals(oe.intermediates(), oa.intermediates(), w + " intermediates");
            assertEquals(oe.options(), oa.options(), w + " options");
            assertArrayEquals(oe.customOptions(), oa.customOptions(), w + " custom options");
        }
    }
}
