package io.quanta.job;

import io.quanta.pipeline.Pipeline;
import io.quanta.pipeline.PipelineException;
import io.quanta.pipeline.PipelineFiles;
import io.quanta.pipeline.PipelineListener;
import io.quanta.pipeline.PipelineRequest;
import io.quanta.pipeline.PipelineSettings;
import io.quanta.pipeline.QuantizationReport;
import io.quanta.pipeline.Reports;
import io.quanta.report.RunResult;
import io.quanta.report.RunResult.Stage;
import io.quanta.report.html.ReportJson;
import io.quanta.report.html.ReportPage;
import io.quanta.storage.Locations;
import io.quanta.storage.PublishedObject;
import io.quanta.storage.Storage;
import io.quanta.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pipeline run whose inputs and outputs are storage locations (paths, file://, https://, s3://): inputs are
 * fetched into a cache directory, the pipeline writes into a private staging directory, and the model, then its
 * JSON report, then the report's HTML page beside it are published to their locations atomically. The report and
 * the summary name the locations (not the cache) and carry the sha256 and size of exactly the bytes that were
 * stored.
 */
public final class StoredRun {
    /** A location and the storage (credentials, endpoint) it is reached through. */
    public record Stored(String location, Storage storage) {
        public Stored {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(storage, "storage");
        }
    }

    /**
     * What to run: where things are, and how the run works. {@code report} null puts it beside the output;
     * {@code evalLabelsFromFileNames} labels each evaluation sample with the first number in its file name.
     */
    public record Request(
            Stored model,
            List<Stored> datasets,
            Stored labels,
            List<Stored> evalDatasets,
            Stored evalLabels,
            Stored output,
            Stored report,
            PipelineSettings settings,
            boolean evalLabelsFromFileNames) {
        public Request(
                Stored model,
                List<Stored> datasets,
                Stored labels,
                List<Stored> evalDatasets,
                Stored evalLabels,
                Stored output,
                Stored report,
                PipelineSettings settings) {
            this(model, datasets, labels, evalDatasets, evalLabels, output, report, settings, false);
        }

        public Request {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(output, "output");
            datasets = datasets == null ? List.of() : List.copyOf(datasets);
            evalDatasets = evalDatasets == null ? List.of() : List.copyOf(evalDatasets);
            settings = settings == null ? PipelineSettings.DEFAULT : settings;
        }
    }

    /** What was stored: the report (naming locations), its summary, and where model, report and page went. */
    public record Outcome(
            QuantizationReport report,
            RunResult summary,
            PublishedObject model,
            PublishedObject reportObject,
            PublishedObject reportPage) {}

    private StoredRun() {}

    /**
     * Runs the request. {@code workDir} (e.g. under /tmp) holds the download cache ({@code cache/}) and the staging
     * directory of this run, which is removed afterwards. Failures come out as {@link PipelineException}s: a
     * location that cannot be read is a LOAD failure ({@code ModelNotFound} for the model,
     * {@code DatasetNotFound} for data), one that cannot be written a WRITE failure ({@code OutputNotWritable}).
     */
    public static Outcome run(Request req, Path cacheDir, Path workDir, PipelineListener listener) {
        return run(req, null, cacheDir, workDir, listener);
    }

    /** {@link #run} with calibration statistics merged from shards instead of a calibration pass (null: calibrate). */
    public static Outcome run(
            Request req, Pipeline.GivenStats given, Path cacheDir, Path workDir, PipelineListener listener) {
        Local local = local(req, cacheDir, workDir);
        try {
            Pipeline.Outcome outcome =
                    Pipeline.run(local.request(), listener, given, false).outcome();
            PublishedObject publishedModel = publish(
                    req.output().storage(), local.stagedModel(), req.output().location());
            return publishReport(req, local, outcome.report(), publishedModel);
        } finally {
            deleteTree(local.staging());
        }
    }

    /**
     * A run's inputs fetched to local paths, and the pipeline request that reads them and writes the model and the
     * report into {@code staging} (a private directory the caller deletes when done).
     */
    record Local(PipelineRequest request, Path staging, Path stagedModel, Path stagedReport, String reportLocation) {}

    /** Fetches the inputs, checks the outputs can be written, and creates the staging directory. */
    static Local local(Request req, Path cacheDir, Path workDir) {
        Path model = fetch(req.model(), cacheDir, false, "ModelNotFound", "model");
        List<Path> datasets = fetchAll(req.datasets(), cacheDir);
        Path labels = req.labels() == null ? null : fetch(req.labels(), cacheDir, false, "DatasetNotFound", "labels");
        List<Path> evalDatasets = fetchAll(req.evalDatasets(), cacheDir);
        Path evalLabels = req.evalLabels() == null
                ? null
                : fetch(req.evalLabels(), cacheDir, false, "DatasetNotFound", "evaluation labels");
        if (req.evalLabelsFromFileNames() && evalDatasets.size() == 1) {
            evalLabels = labelsFromFileNames(evalDatasets.get(0), workDir);
        }
        String reportLocation = reportLocation(req);
        checkWritable(req.output().location());
        checkWritable(reportLocation);
        checkWritable(pageLocation(reportLocation));

        Path staging = createStaging(workDir);
        Path stagedModel = staging.resolve("model.tflite");
        Path stagedReport = staging.resolve("report.json");
        PipelineRequest local = new PipelineRequest(
                new PipelineFiles(model, datasets, labels, stagedModel, evalDatasets, evalLabels, stagedReport),
                req.settings());
        return new Local(local, staging, stagedModel, stagedReport, reportLocation);
    }

    /** Where the report goes: as asked, or beside the output. */
    static String reportLocation(Request req) {
        return req.report() != null
                ? req.report().location()
                : defaultReportLocation(req.output().location());
    }

    /**
     * Publishes the report of a run whose model is already published (naming locations instead of local paths),
     * then its HTML page beside it; the outcome with the summary the operator reads.
     */
    static Outcome publishReport(Request req, Local local, QuantizationReport report, PublishedObject publishedModel) {
        Storage reportStorage =
                req.report() != null ? req.report().storage() : req.output().storage();
        String reportLocation = local.reportLocation();
        QuantizationReport named = withLocations(report, req, publishedModel);
        String json = Reports.toJson(named);
        write(local.stagedReport(), json);
        PublishedObject publishedReport = publish(reportStorage, local.stagedReport(), reportLocation);
        Path stagedPage = local.staging().resolve("report.html");
        write(stagedPage, ReportPage.render(ReportJson.parse(json, reportLocation)));
        PublishedObject publishedPage = publish(reportStorage, stagedPage, pageLocation(reportLocation));
        RunResult summary = Reports.summary(named)
                .withReport(new RunResult.ReportFiles(
                        publishedReport.location(), publishedPage.location(), publishedPage.sha256()));
        return new Outcome(named, summary, publishedModel, publishedReport, publishedPage);
    }

    /** The report beside the model: OUT.tflite -> OUT.report.json, in the same folder, prefix or bucket. */
    static String defaultReportLocation(String output) {
        String s = output.strip();
        String name = s.substring(s.lastIndexOf('/') + 1);
        String stem = name.endsWith(".tflite") ? name.substring(0, name.length() - ".tflite".length()) : name;
        if (stem.isEmpty()) {
            throw new PipelineException(
                    Stage.LOAD,
                    "InvalidLocation",
                    "output " + output + " names a folder; give the quantized model's file name",
                    null);
        }
        try {
            return Locations.siblingOf(s, stem + ".report.json");
        } catch (StorageException e) {
            throw new PipelineException(Stage.LOAD, "InvalidLocation", e.getMessage(), e);
        }
    }

    /** The report's HTML page beside it: m.report.json -> m.report.html, in the same folder, prefix or bucket. */
    public static String pageLocation(String reportLocation) {
        String s = reportLocation.strip();
        try {
            return Locations.siblingOf(s, ReportPage.htmlName(s.substring(s.lastIndexOf('/') + 1)));
        } catch (StorageException | IllegalArgumentException e) {
            throw new PipelineException(Stage.LOAD, "InvalidLocation", e.getMessage(), e);
        }
    }

    /**
     * A "name label" file for an image folder whose file names carry the class (e.g. {@code 3_cat.png},
     * {@code sample3.png}): the first number in each name.
     */
    static Path labelsFromFileNames(Path folder, Path workDir) {
        StringBuilder lines = new StringBuilder();
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("\\d+").matcher(name);
                if (!m.find()) {
                    throw new PipelineException(
                            Stage.LOAD,
                            "DatasetInvalid",
                            "labels FileName: " + name + " in " + folder
                                    + " has no number in its name to take the class from",
                            null);
                }
                lines.append(name)
                        .append(' ')
                        .append(Integer.parseInt(m.group()))
                        .append('\n');
            }
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "labels-", ".txt");
            Files.writeString(out, lines, StandardCharsets.UTF_8);
            out.toFile().deleteOnExit();
            return out;
        } catch (IOException e) {
            throw new PipelineException(
                    Stage.LOAD, "DatasetInvalid", "cannot label " + folder + " by file name: " + e.getMessage(), e);
        }
    }

    private static void checkWritable(String location) {
        try {
            Locations.validate(location);
        } catch (StorageException e) {
            throw new PipelineException(Stage.LOAD, "InvalidLocation", e.getMessage(), e);
        }
        if (location.strip().startsWith("https://")) {
            throw new PipelineException(
                    Stage.LOAD,
                    "OutputNotWritable",
                    "cannot write to " + location
                            + ": https locations are read-only; write outputs to a path or s3://bucket/key",
                    null);
        }
    }

    private static List<Path> fetchAll(List<Stored> locations, Path cacheDir) {
        List<Path> paths = new ArrayList<>();
        for (Stored d : locations) {
            paths.add(fetch(d, cacheDir, true, "DatasetNotFound", "dataset"));
        }
        return paths;
    }

    static Path fetch(Stored s, Path cacheDir, boolean fileOrTree, String errorCode, String what) {
        try {
            return fileOrTree
                    ? s.storage().fetchFileOrTree(s.location(), cacheDir)
                    : s.storage().fetch(s.location(), cacheDir);
        } catch (StorageException e) {
            throw new PipelineException(Stage.LOAD, errorCode, what + ": " + e.getMessage(), e);
        }
    }

    static PublishedObject publish(Storage storage, Path staged, String location) {
        try {
            return storage.publish(staged, location);
        } catch (StorageException e) {
            throw new PipelineException(Stage.WRITE, "OutputNotWritable", e.getMessage(), e);
        }
    }

    /** The report as it should read for its users: locations instead of cache and staging paths. */
    static QuantizationReport withLocations(QuantizationReport r, Request req, PublishedObject model) {
        QuantizationReport.Files f = r.files();
        List<String> datasets = req.datasets().stream().map(Stored::location).toList();
        String labels = req.labels() == null ? null : req.labels().location();
        List<String> evalDatasets = null;
        String evalLabels = null;
        if (f.evalDatasets() != null) {
            evalDatasets = req.evalDatasets().isEmpty()
                    ? datasets
                    : req.evalDatasets().stream().map(Stored::location).toList();
            evalLabels = req.evalLabels() != null
                    ? req.evalLabels().location()
                    : req.evalDatasets().isEmpty() ? labels : null;
        }
        QuantizationReport.Files files = new QuantizationReport.Files(
                req.model().location(), model.location(), model.sha256(), datasets, labels, evalDatasets, evalLabels);
        return r.withFiles(files);
    }

    private static Path createStaging(Path workDir) {
        try {
            Files.createDirectories(workDir);
            return Files.createTempDirectory(workDir, "staging-");
        } catch (IOException e) {
            throw new PipelineException(
                    Stage.LOAD,
                    "WorkDirNotWritable",
                    "cannot create a staging directory under " + workDir + ": " + e.getMessage(),
                    e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PipelineException(
                    Stage.WRITE, "OutputNotWritable", "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Leftovers in a temporary directory are harmless; the run's result matters more.
        }
    }
}
