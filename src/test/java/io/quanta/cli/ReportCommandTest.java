package io.quanta.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quanta.report.html.SampleReport;
import io.quanta.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** quanta report: the page beside the report, a comparison, and one-line errors for what is no report. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesThePageBesideTheReport() throws Exception {
        Path json = Files.writeString(tmp.resolve("net.report.json"), SampleReport.JSON);
        CliRunner.Result r = CliRunner.run(new Main(), "report", json.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Path page = tmp.resolve("net.report.html");
        byte[] bytes = Files.readAllBytes(page);
        assertEquals("wrote " + page + " (" + bytes.length + " bytes, sha256 " + Sha256.of(bytes) + ")\n", r.out());
        assertEquals("", r.err());
        Document doc = Jsoup.parse(new String(bytes, StandardCharsets.UTF_8));
        assertEquals(2, doc.select("#layer-error rect.bar").size());
        assertTrue(doc.select("#comparison").isEmpty());
    }

    @Test
    void comparesWithABaseline() throws Exception {
        Path json = Files.writeString(tmp.resolve("a.json"), SampleReport.JSON);
        Path base = Files.writeString(
                tmp.resolve("b.json"), SampleReport.JSON.replace("\"ratio\": 0.275", "\"ratio\": 0.3"));
        Path out = tmp.resolve("sub/compare.html");
        CliRunner.Result r = CliRunner.run(
                new Main(), "report", json.toString(), "--baseline", base.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode(), r.toString());
        Document doc = Jsoup.parse(Files.readString(out));
        assertEquals(
                List.of("0.2750", "0.3000", "-0.025"),
                doc.selectFirst("#deltas tr[data-json=/sizes/ratio]")
                        .select("td")
                        .eachText());
    }

    @Test
    void whatIsNoReportIsOneLineAndExitTwo() throws Exception {
        Path truncated = Files.writeString(
                tmp.resolve("cut.report.json"), SampleReport.JSON.substring(0, SampleReport.JSON.length() / 3));
        Path malformed = Files.writeString(tmp.resolve("bad.report.json"), "{\"sizes\": {\"floatBytes\": 12,,}}");
        Path notReport = Files.writeString(tmp.resolve("other.json"), "{\"name\": \"x\"}");
        Path binary = Files.write(tmp.resolve("model.tflite"), new byte[] {0x1c, 0, 0, 0, (byte) 0xff, (byte) 0xfe});
        Path goodReport = Files.writeString(tmp.resolve("good.json"), SampleReport.JSON);
        Path huge = tmp.resolve("huge.report.json"); // sparse: larger than any report, nothing on disk
        try (var ch = Files.newByteChannel(
                huge, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.position(ReportCommand.MAX_REPORT_BYTES).write(java.nio.ByteBuffer.wrap(new byte[] {'}'}));
        }
        record Case(List<String> args, String message) {}
        for (Case c : List.of(
                new Case(List.of(truncated.toString()), truncated + " is truncated: the JSON ends at line "),
                new Case(List.of(malformed.toString()), malformed + " is not valid JSON at line 1, column "),
                new Case(List.of(notReport.toString()), notReport + " is JSON but not a Quanta quantization report"),
                new Case(List.of(binary.toString()), binary + " is not a JSON report: it is not UTF-8 text"),
                new Case(List.of(tmp.resolve("missing.json").toString()), ""),
                new Case(
                        List.of(huge.toString()),
                        huge + " is not a JSON report: " + (ReportCommand.MAX_REPORT_BYTES + 1)
                                + " bytes is more than a report may be ("),
                new Case(
                        List.of(goodReport.toString(), "--baseline", truncated.toString()),
                        truncated + " is truncated"))) {
            CliRunner.Result r = CliRunner.run(
                    new Main(),
                    java.util.stream.Stream.concat(java.util.stream.Stream.of("report"), c.args().stream())
                            .toArray(String[]::new));
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().startsWith("quanta: " + c.message()), r.toString());
            assertFalse(r.err().contains("Exception"), r.toString());
            assertEquals("", r.out());
        }
        assertFalse(Files.exists(tmp.resolve("cut.report.html")), "no page for a report that was refused");
    }
}
