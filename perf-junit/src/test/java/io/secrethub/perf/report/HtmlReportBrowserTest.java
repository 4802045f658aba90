package io.secrethub.perf.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.Agent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.browser.HeadlessChromium;
import io.secrethub.perf.testkit.FixtureRun;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HTML report, opened from disk in a real headless Chromium: every chart draws its series, nothing goes to the
 * network, nothing goes wrong on the console. A screenshot is kept under {@code target/} for people to look at.
 */
class HtmlReportBrowserTest {

    private static final Path SCREENSHOT = Path.of("target", "perf-report-screenshot.png");

    /**
     * Per chart: whether it has a canvas, how many pixels are painted at all, and how many are in one of the colours
     * of its series (so axes and grid alone do not count as a drawn chart).
     */
    private static final String CHART_PIXELS = """
            Array.from(document.querySelectorAll('.chart')).map(function (el) {
              var canvas = el.querySelector('canvas');
              if (!canvas) { return { kind: el.dataset.kind, canvas: false, painted: 0, series: 0 }; }
              var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
              var colors = (el.dataset.colors || '').split(',').filter(Boolean).map(function (hex) {
                return [1, 3, 5].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
              });
              var painted = 0, series = 0;
              for (var i = 0; i < pixels.length; i += 4) {
                if (pixels[i + 3] === 0) { continue; }
                painted++;
                if (pixels[i + 3] > 200 && colors.some(function (c) {
                  return Math.abs(c[0] - pixels[i]) < 12 && Math.abs(c[1] - pixels[i + 1]) < 12
                      && Math.abs(c[2] - pixels[i + 2]) < 12;
                })) { series++; }
              }
              return { kind: el.dataset.kind, canvas: true, painted: painted, series: series };
            })""";

    @Test
    @SuppressWarnings("unchecked")
    void everyChartDrawsInARealBrowserOfflineAndWithoutConsoleErrors() throws Exception {
        Path binary = HeadlessChromium.binary().orElse(null);
        Assumptions.assumeTrue(binary != null, "no chromium binary on the PATH (nor $CHROMIUM): the HTML report's"
                + " browser test needs one; on Debian: apt-get install -y chromium");
        Path html = runWithBaseline();

        try (HeadlessChromium chromium = HeadlessChromium.start(binary, 1400, 1000)) {
            chromium.navigate(html.toUri().toString());
            chromium.awaitTrue("document.body.dataset.chartsDrawn !== undefined");
            chromium.screenshot(SCREENSHOT);

            // 2 tests: mixed has the method and 2 operations, failing has the method only; 4 charts each.
            List<Map<String, Object>> charts = (List<Map<String, Object>>) chromium.evaluate(CHART_PIXELS);
            assertThat(charts).hasSize((3 + 1) * HtmlReport.CHART_KINDS.size());
            assertThat(charts).allSatisfy(chart -> {
                assertThat(chart).as("a canvas per chart").containsEntry("canvas", true);
                assertThat(((Number) chart.get("series")).intValue()).as("pixels of a series line in %s", chart)
                        .isGreaterThan(20);
            });
            assertThat(chromium.evaluate("document.body.dataset.chartsDrawn")).isEqualTo(String.valueOf(charts.size()));
            assertThat(chromium.errors()).as("console errors").isEmpty();
            assertThat(chromium.requestedUrls()).as("the page loads nothing but itself").allMatch(
                    url -> url.startsWith("file:") || url.startsWith("data:") || url.startsWith("about:"));
            String text = (String) chromium.evaluate("document.body.innerText");
            assertThat(text).contains("HtmlReportBrowserTest.Mixed.mixed", "FAIL", "PASS", "p99 <= 1 s",
                    "Baseline recorded", "Machine", "closed model");
        }
        // A PNG's size is in its IHDR chunk: width at byte 16, height at byte 20.
        ByteBuffer png = ByteBuffer.wrap(Files.readAllBytes(SCREENSHOT));
        assertThat(png.getInt(16)).as("screenshot width").isGreaterThan(600);
        assertThat(png.getInt(20)).as("the whole page, not the window").isGreaterThan(1000);
    }

    /** Records a baseline, then runs again against it: the page of the second run is the one to check. */
    private static Path runWithBaseline() throws Exception {
        FixtureRun first = FixtureRun.of(Mixed.class).with("perf.progress.interval", "100ms");
        Path baseline = first.resultsDir().resolve("baseline.json");
        first.with("perf.baseline", baseline.toString()).with("perf.baseline.write", "true").launch();
        FixtureRun second = FixtureRun.of(Mixed.class).with("perf.progress.interval", "100ms")
                .with("perf.baseline", baseline.toString());
        second.launch();
        Path html = second.resultsDir().resolve(ResultFiles.HTML);
        assertThat(html).exists();
        String page = Files.readString(html);
        assertThat(page).as("self-contained").doesNotContain("<script src", "<link ");
        return html;
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Mixed {
        @Order(1)
        @LoadTest(agents = 2, duration = "700ms")
        @MaxP99("1s")
        @MaxErrorRate(50)
        void mixed(Agent agent) throws Exception {
            agent.time("get", () -> LockSupport.parkNanos(300_000));
            agent.time("put", () -> {
                LockSupport.parkNanos(500_000);
                if (agent.iteration() % 10 == 3) {
                    throw new IllegalStateException("every tenth put fails");
                }
            });
        }

        @Order(2)
        @LoadTest(agents = 1, duration = "400ms")
        @MinThroughput(1e12)
        void failing() {
            LockSupport.parkNanos(200_000);
        }
    }
}
