package io.quanta.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quanta.cli.Main;
import io.quanta.testing.SharedAssets;
import io.quanta.testing.SharedModelData;
import io.quanta.testing.Slow;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Issue 13 acceptance: the page {@code quanta quantize} writes beside its report, opened in a real browser (Debian's
 * chromium through chromedriver), for the MNIST CNN, MobileNet v1 0.25/224 and the AutoKeras MNIST model whose CAST
 * stays float. The summary shows the report's own figures, the chart has one bar per compared layer, the page makes
 * no request and logs no error. Screenshots go to target/report-pages/ for a person to look at.
 */
@Slow
class ReportPageInBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "report-pages");

    @TempDir
    static Path work;

    static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() {
        assertTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (scripts/test-all.sh installs them)");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--window-size=1280,1800",
                        // No phoning home of the browser's own: only the page's requests may show in the log.
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    static Stream<Arguments> runs() {
        String mnist = SharedModelData.mnistImages().toString();
        String labels = SharedModelData.mnistLabels().toString();
        List<String> digits =
                List.of("--dataset", mnist, "--labels", labels, "--samples", "50", "--eval-samples", "200");
        List<String> cnn = new ArrayList<>(digits);
        cnn.addAll(List.of("--normalize", "unit"));
        return Stream.of(
                Arguments.of("ethosu85_mnist_cnn_float.tflite", cnn, 0),
                Arguments.of(
                        "tfls_mobilenet_v1_0.25_224_float.tflite",
                        List.of("--dataset", SharedAssets.data("images") + "/", "--normalize", "signed"),
                        0),
                // The uint8 input is CAST to float inside the model: that CAST stays float.
                Arguments.of("autokeras_mnist_cnn_u8in_float.tflite", digits, 1));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void pageShowsTheReportWithoutRequestsOrErrors(String model, List<String> flags, int floatOps) throws Exception {
        String stem = model.replace("_float.tflite", "");
        Path out = work.resolve(stem + "_int8.tflite");
        List<String> args = new ArrayList<>(List.of(
                "quantize", SharedAssets.floatModel(model).toString(), "--out", out.toString(), "--no-progress"));
        args.addAll(flags);
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Main.commandLine(new Main())
                .setOut(new PrintWriter(stdout, true))
                .setErr(new PrintWriter(stderr, true))
                .execute(args.toArray(String[]::new));
        assertEquals(0, code, stdout + "\n" + stderr);
        JsonNode report = new ObjectMapper()
                .readTree(work.resolve(stem + "_int8.report.json").toFile());
        Path page = work.resolve(stem + "_int8.report.html");
        long bytes = Files.size(page);
        assertTrue(bytes < 1_000_000, page + " is " + bytes + " bytes");

        browser.manage().logs().get(LogType.PERFORMANCE); // drop what came before this page
        browser.manage().logs().get(LogType.BROWSER);
        String url = page.toUri().toString();
        browser.get(url);
        assertTrue(browser.getTitle().startsWith("Quanta report: " + model), browser.getTitle());

        // Summary: every figure is the JSON's own value, and the main ones are there.
        List<WebElement> figures = browser.findElements(By.cssSelector("#summary [data-json]"));
        for (WebElement f : figures) {
            JsonNode v = report.at(f.getAttribute("data-json"));
            assertFalse(v.isMissingNode(), f.getAttribute("data-json"));
            assertEquals(v.isTextual() ? v.asText() : v.toString(), f.getAttribute("data-value"));
            assertFalse(f.getText().isBlank(), f.getAttribute("data-json") + " is shown empty");
        }
        List<String> shown =
                figures.stream().map(f -> f.getAttribute("data-json")).toList();
        for (String p : List.of(
                "/files/model",
                "/options/mode",
                "/options/inputType",
                "/options/outputType",
                "/sizes/floatBytes",
                "/sizes/quantizedBytes",
                "/sizes/ratio",
                "/evaluation/classification/agreement",
                "/evaluation/outputs/0/sqnrDb",
                "/timings/totalMs")) {
            assertTrue(shown.contains(p), p + " is not in the summary");
        }
        assertEquals(
                String.format(
                        java.util.Locale.ROOT,
                        "%.4f (quantized / float)",
                        report.at("/sizes/ratio").asDouble()),
                browser.findElement(By.cssSelector("td [data-json='/sizes/ratio']"))
                        .getText());
        int floatFallback = 0;
        for (JsonNode c : report.path("coverage")) {
            floatFallback += c.path("floatFallback").asInt();
        }
        assertEquals(floatOps, floatFallback);
        assertEquals(
                String.valueOf(floatFallback),
                browser.findElement(By.cssSelector("[data-key=ops-float]")).getText());

        // The chart: one bar per compared layer, each naming its op and tensor; float ops marked.
        JsonNode layers = report.at("/evaluation/layers");
        assertTrue(layers.size() > 0, "no layers compared");
        List<WebElement> bars = browser.findElements(By.cssSelector("#layer-error rect.bar"));
        assertEquals(layers.size(), bars.size());
        JsonNode first = layers.get(0);
        String title = bars.get(0).findElement(By.tagName("title")).getAttribute("textContent");
        assertTrue(
                title.contains(first.path("opType").asText())
                        && title.contains(first.path("name").asText()),
                title);
        List<WebElement> markers = browser.findElements(By.cssSelector("#layer-error rect.fallback"));
        assertEquals(floatOps, markers.size());
        for (WebElement m : markers) {
            assertTrue(m.findElement(By.tagName("title"))
                    .getAttribute("textContent")
                    .contains("CAST"));
        }
        assertTrue(bars.stream().anyMatch(b -> b.getRect().getHeight() > 1), "the chart is drawn");

        // Nothing left the page: the browser fetched only the page itself.
        Object resources = ((JavascriptExecutor) browser)
                .executeScript("return performance.getEntriesByType('resource').map(e => e.name)");
        assertEquals(List.of(), resources, "the page fetched resources");
        boolean sawPage = false;
        for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode m = new ObjectMapper().readTree(e.getMessage()).path("message");
            if (m.path("method").asText().equals("Network.requestWillBeSent")) {
                String requested = m.at("/params/request/url").asText();
                sawPage |= requested.equals(url);
                assertTrue(
                        requested.equals(url) || requested.startsWith("data:") || requested.startsWith("about:"),
                        "the page requested " + requested);
            }
        }
        assertTrue(sawPage, "the network log saw no request, not even the page's: it would miss others too");
        List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .toList();
        assertEquals(List.of(), errors, "console errors or warnings");

        // For a person to look at.
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(
                shot.toPath(), SCREENSHOTS.resolve(stem + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(page, SCREENSHOTS.resolve(stem + ".report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf(
                "%s: page %d bytes, %d bars, %d float ops; screenshot %s%n",
                stem, bytes, bars.size(), markers.size(), SCREENSHOTS.resolve(stem + ".png"));
    }
}
