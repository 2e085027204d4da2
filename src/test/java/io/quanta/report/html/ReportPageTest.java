package io.quanta.report.html;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quanta.pipeline.QuantizationReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class ReportPageTest {
    static final String HOSTILE = SampleReport.HOSTILE;
    static final String REPORT = SampleReport.JSON;

    static JsonNode report() {
        return ReportJson.parse(REPORT, "r.json");
    }

    @Test
    void pageIsSelfContainedAndEscapesEveryString() {
        String html = ReportPage.render(report());
        Document page = Jsoup.parse(html);
        assertTrue(page.select("script").isEmpty(), "a tensor name must not become a script element");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
        // The hostile name comes back as text, whole.
        assertTrue(page.select("#ranges td.name").eachText().contains(HOSTILE));
        // Nothing to fetch: no external stylesheet, image, font or link target other than data: URLs.
        for (Element e : page.select("[src], link[href], [style*=url]")) {
            String ref = e.hasAttr("src") ? e.attr("src") : e.attr("href");
            assertTrue(ref.startsWith("data:"), "external reference " + e);
        }
        assertTrue(page.select("meta[http-equiv=Content-Security-Policy]")
                .attr("content")
                .startsWith("default-src 'none'"));
    }

    @Test
    void summaryFiguresAreTheReportsOwn() {
        JsonNode r = report();
        Document page = Jsoup.parse(ReportPage.render(r));
        List<String> expected = List.of(
                "/sizes/floatBytes",
                "/sizes/quantizedBytes",
                "/sizes/ratio",
                "/evaluation/classification/agreement",
                "/evaluation/classification/floatTop1",
                "/evaluation/classification/quantizedTop1",
                "/evaluation/outputs/0/sqnrDb",
                "/accuracy/budgetMet",
                "/timings/totalMs",
                "/options/mode",
                "/options/inputType",
                "/options/outputType");
        for (String pointer : expected) {
            Element e = page.selectFirst("#summary [data-json=" + pointer + "]");
            assertTrue(e != null, pointer + " missing from the summary");
        }
        for (Element e : page.select("#summary [data-json]")) {
            JsonNode v = r.at(e.attr("data-json"));
            assertEquals(v.isTextual() ? v.asText() : v.toString(), e.attr("data-value"), e.attr("data-json"));
        }
        // Op counts are sums over the coverage table.
        assertEquals("2", page.selectFirst("[data-key=ops-quantized]").attr("data-value"));
        assertEquals("4", page.selectFirst("[data-key=ops-total]").attr("data-value"));
        assertEquals("1", page.selectFirst("[data-key=ops-float]").attr("data-value"));
        // Shown as formatted: the ratio to 4 places, sizes with separators, SQNR in dB; top-5 without labels omitted.
        assertEquals(
                "0.2750 (quantized / float)",
                page.selectFirst("td [data-json=/sizes/ratio]").text());
        assertEquals(
                "4,000 B (4 KiB)",
                page.selectFirst("[data-json=/sizes/floatBytes]").text());
        assertEquals(
                "31.3 dB",
                page.selectFirst("td [data-json=/evaluation/outputs/0/sqnrDb]").text());
        assertNull(page.selectFirst("[data-json=/evaluation/classification/floatTop5]"));
    }

    @Test
    void oneBarPerComparedLayerInExecutionOrderWithFloatOpsMarked() {
        Document page = Jsoup.parse(ReportPage.render(report()));
        List<Element> bars = page.select("#layer-error rect.bar");
        assertEquals(2, bars.size());
        // op 1 (conv1) runs before op 2 (the int16 tensor), whatever the order in the report.
        assertTrue(bars.get(0).selectFirst("title").text().startsWith("op #1 CONV_2D → conv1 (int8)"));
        assertTrue(bars.get(1).hasClass("int16"));
        assertTrue(bars.get(1).selectFirst("title").text().contains(HOSTILE));
        List<Element> fallback = page.select("#layer-error rect.fallback");
        assertEquals(1, fallback.size());
        assertEquals(
                "op #0 CAST stays float: no int8 kernel for CAST",
                fallback.get(0).selectFirst("title").text());
        // The CAST marker comes first: op 0 runs before both layers.
        Element first = page.selectFirst("#layer-error svg rect");
        assertTrue(first.hasClass("fallback"));
        // Identical values (SQNR infinity) show as a full bar, told apart by class.
        assertEquals(1, page.select("#layer-error rect.sqnr.identical").size());
    }

    @Test
    void rangesShowRecordedAndChosenRangeMethodAndHistogram() {
        Document page = Jsoup.parse(ReportPage.render(report()));
        Element conv1 = page.select("#ranges tr").stream()
                .filter(tr -> tr.select("td.name").text().equals("conv1"))
                .findFirst()
                .orElseThrow();
        // scale 1/63.75, zero point -64: int8 -128..127 represents [-1.0039, 3.0]
        // Recorded: everything the histogram saw; min/max (-1, 3) is what the percentile kept of it.
        assertTrue(conv1.text().contains("[-1.5, 3.5]"), conv1.text());
        assertTrue(conv1.text().contains("[-1.004, 2.996]"), conv1.text());
        assertTrue(conv1.text().contains("percentile"), conv1.text());
        assertEquals(1, conv1.select("svg.spark").size());
        assertEquals(1, conv1.select("svg.rangebar").size());
        assertTrue(page.text().contains("3 channels (axis 0): 0.001 … 0.004, median 0.002"));
    }

    @Test
    void chosenRangeIsWhatTheIntegerTypeRepresents() {
        assertArrayEquals(new double[] {-1.28, 1.27}, ReportPage.chosenRange("int8", 0.01, 0.0), 1e-12);
        assertArrayEquals(new double[] {0, 2.55}, ReportPage.chosenRange("uint8", 0.01, 0.0), 1e-12);
        assertArrayEquals(new double[] {-3.2767, 3.2767}, ReportPage.chosenRange("int16", 1e-4, 0.0), 1e-12);
        assertNull(ReportPage.chosenRange("int32", 1e-4, 0.0));
    }

    @Test
    void coverageTableGivesEachFloatOpsReason() {
        Document page = Jsoup.parse(ReportPage.render(report()));
        assertEquals(
                List.of("0", "CAST", "no int8 kernel for CAST"),
                page.select("#fallback tbody tr td").eachText());
        assertEquals(
                3,
                page.select("#coverage table.data").first().select("tbody tr").size());
        assertTrue(page.select("#coverage").text().contains("head"));
    }

    @Test
    void searchTrialsAreListedWithTheChosenOneMarked() {
        Document page = Jsoup.parse(ReportPage.render(report()));
        List<Element> trials = page.select("#trials tbody tr");
        assertEquals(2, trials.size());
        assertTrue(trials.get(1).hasClass("chosen"));
        assertEquals("head", trials.get(1).select("td.name").text());
    }

    @Test
    void baselineShowsDeltasSideBySide() {
        ObjectNode base = (ObjectNode) report().deepCopy();
        ((ObjectNode) base.at("/evaluation/classification")).put("agreement", 0.90);
        ((ObjectNode) base.at("/sizes")).put("ratio", 0.3);
        ((ObjectNode) base.at("/evaluation/layers/1")).put("rmseInSteps", 0.5);
        Document page = Jsoup.parse(ReportPage.render(report(), base));
        Element agreement = page.selectFirst("#deltas tr[data-json=/evaluation/classification/agreement]");
        assertEquals(
                List.of("0.9500", "0.9000", "+0.05"), agreement.select("td").eachText());
        assertTrue(agreement.selectFirst("td.delta").hasClass("better"));
        Element ratio = page.selectFirst("#deltas tr[data-json=/sizes/ratio]");
        assertTrue(ratio.selectFirst("td.delta").hasClass("better"), "a smaller model is better");
        Element conv1 = page.select("#layer-deltas tbody tr").stream()
                .filter(tr -> tr.selectFirst("td.name").text().equals("conv1"))
                .findFirst()
                .orElseThrow();
        assertEquals("-0.1", conv1.select("td.delta").first().text());
        assertTrue(conv1.select("td.delta").first().hasClass("better"));
        assertTrue(
                Jsoup.parse(ReportPage.render(report())).select("#comparison").isEmpty());
    }

    @Test
    void olderFormatRendersWithANote() {
        ObjectNode old = (ObjectNode) report().deepCopy();
        old.remove("formatVersion");
        for (JsonNode l : old.at("/evaluation/layers")) {
            ((ObjectNode) l).remove(List.of("op", "opType", "sqnrDb"));
        }
        Document page = Jsoup.parse(ReportPage.render(old));
        assertTrue(page.selectFirst("#format-note").text().contains("an older Quanta (report format 0"));
        assertEquals(2, page.select("#layer-error rect.bar").size());
        assertTrue(
                Jsoup.parse(ReportPage.render(report())).select("#format-note").isEmpty());
    }

    @Test
    void hundredLayerModelStaysWellUnderAMegabyte() {
        ObjectNode big = (ObjectNode) report().deepCopy();
        ArrayNode layers = (ArrayNode) big.at("/evaluation/layers");
        ArrayNode tensors = (ArrayNode) big.path("tensors");
        JsonNode layer = layers.get(1);
        JsonNode tensor = tensors.get(0);
        ArrayNode counts = new ObjectMapper().createArrayNode();
        for (int k = 0; k < 64; k++) {
            counts.add(k * 37 % 1000);
        }
        for (int i = 0; i < 100; i++) {
            String name = "model/block_" + i + "/depthwise/conv2d;model/block_" + i + "/batchnorm/FusedBatchNormV3";
            layers.add(((ObjectNode) layer.deepCopy()).put("name", name).put("op", 3 + i));
            for (int k = 0; k < 3; k++) {
                ObjectNode t = ((ObjectNode) tensor.deepCopy())
                        .put("name", name + "/" + k)
                        .put("index", 10 + i * 3 + k);
                ((ObjectNode) t.path("histogram")).set("counts", counts);
                tensors.add(t);
            }
        }
        String html = ReportPage.render(big, big);
        int bytes = html.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < 1_000_000, "page of " + bytes + " bytes");
        assertEquals(102, Jsoup.parse(html).select("#layer-error rect.bar").size());
    }

    @Test
    void htmlNameReplacesJson() {
        assertEquals("m.report.html", ReportPage.htmlName("m.report.json"));
        assertEquals("r.html", ReportPage.htmlName("r.json"));
        assertEquals("report.txt.html", ReportPage.htmlName("report.txt"));
    }

    @Test
    void pageReadsTheFormatThePipelineWrites() {
        assertEquals(QuantizationReport.FORMAT_VERSION, ReportJson.FORMAT_VERSION);
    }

    @Test
    void badInputIsRefusedInOneLine() {
        String cut = REPORT.substring(0, REPORT.length() / 2);
        ReportJson.NotAReportException truncated =
                assertThrows(ReportJson.NotAReportException.class, () -> ReportJson.parse(cut, "r.json"));
        assertTrue(
                truncated.getMessage().startsWith("r.json is truncated: the JSON ends at line "),
                truncated.getMessage());
        for (String bad : List.of("{\"sizes\": [1,}", "not json", "{\"a\":1} trailing", "[1, 2]", "{\"x\": 1}", "")) {
            ReportJson.NotAReportException e =
                    assertThrows(ReportJson.NotAReportException.class, () -> ReportJson.parse(bad, "r.json"), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().startsWith("r.json "), e.getMessage());
            assertFalse(e.getMessage().contains("Exception"), e.getMessage());
        }
    }
}
