package io.quanta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.quanta.job.StoredRun;
import io.quanta.pipeline.PipelineException;
import io.quanta.report.html.ReportJson;
import io.quanta.report.html.ReportPage;
import io.quanta.storage.PublishedObject;
import io.quanta.storage.Storage;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code quanta report REPORT.json [--out REPORT.html] [--baseline B.json]}: a run's report as one HTML page. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Render a run's JSON report as one self-contained HTML page (inline CSS and SVG, nothing fetched): "
                    + "summary, per-layer error, op coverage, ranges, search trials, and with --baseline the "
                    + "differences from another run. quantize writes this page beside every report already."
        })
public final class ReportCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "REPORT.json",
            description = "The report a quantize run wrote: a path, file://, https:// or s3://bucket/key.")
    String report;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "REPORT.html",
            description = "Where to write the page (written atomically); default: beside the report, "
                    + "m.report.json -> m.report.html.")
    String out;

    @Option(
            names = "--baseline",
            paramLabel = "B.json",
            description = "Another run's report to compare with: figures and per-layer errors side by side.")
    String baseline;

    @Mixin
    StorageFlags storage;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String target = out != null ? out : pageLocation(report);
        PublishedObject page;
        try (Storage store = storage.open(main.environment())) {
            JsonNode r = read(store, report);
            JsonNode b = baseline == null ? null : read(store, baseline);
            String html = ReportPage.render(r, b);
            Path staged = Files.createTempFile("quanta-report-", ".html");
            try {
                Files.writeString(staged, html, StandardCharsets.UTF_8);
                page = store.publish(staged, target);
            } catch (StorageException e) {
                throw new UserException("cannot write " + target + ": " + e.getMessage(), e);
            } finally {
                Files.deleteIfExists(staged);
            }
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + page.location() + " (" + page.size() + " bytes, sha256 " + page.sha256() + ")");
        o.flush();
        return 0;
    }

    private static String pageLocation(String report) {
        try {
            return StoredRun.pageLocation(report);
        } catch (PipelineException e) {
            throw new UserException(report + ": " + e.getMessage() + "; give --out", e);
        }
    }

    static final long MAX_REPORT_BYTES = 256L << 20;

    /** The report at a location as a tree; a one-line user error when it cannot be read or is no report. */
    private JsonNode read(Storage store, String location) {
        Path file;
        try {
            file = store.fetch(location, storage.cacheDir());
        } catch (StorageException e) {
            throw new UserException(e.getMessage(), e);
        }
        String text;
        try {
            // A report is text the page holds whole; a larger file is no report of ours (or would not fit the heap).
            long cap = Math.min(MAX_REPORT_BYTES, Runtime.getRuntime().maxMemory() / 8);
            long size = Files.size(file);
            if (size > cap) {
                throw new UserException(location + " is not a JSON report: " + size
                        + " bytes is more than a report may be (" + cap + " bytes)");
            }
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UserException(location + " is not a JSON report: it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new UserException("cannot read " + location + ": " + e.getMessage(), e);
        }
        try {
            return ReportJson.parse(text, location);
        } catch (ReportJson.NotAReportException e) {
            throw new UserException(e.getMessage(), e);
        }
    }
}
