package io.secrethub.perf.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.PercentileValue;
import io.secrethub.perf.SampleResults;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.WarmupOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the HTML page holds, read as text: escaping, the inlined library and the chart data. */
class HtmlReportTest {

    private static final String HOSTILE = "</script><script>alert('x')</script>";

    @Test
    void textFromTestsCannotBreakOutOfThePage() {
        String page = render(new SuiteEntry(result("m" + HOSTILE), SuiteEntry.Status.FAIL, "boom " + HOSTILE));

        assertThat(page).doesNotContain("alert('x')</script>").contains("&lt;/script&gt;")
                .contains("\\u003c/script>\\u003cscript>alert");
        // The page's own script elements: uPlot, the report script, and the data (application/json).
        assertThat(page.split("<script", -1)).hasSize(4);
    }

    @Test
    void thePageInlinesUplotWithItsLicenceAndCarriesTheChartData() {
        String page = render(new SuiteEntry(result("reads"), SuiteEntry.Status.PASS, ""));

        assertThat(page).contains("The MIT License", "uPlot", ".uplot")
                .contains("\"t\":[1.0,2.0]", "\"thr\":[100.0,0.0]", "\"p95\":[2.0,null]", "\"err\":[0,3]")
                .contains("data-kind=\"distribution\"")
                .contains("Trend: p95 2 ms in the first third, 3 ms in the last (+50%)");
    }

    @Test
    void aSteadyWarmUpsOutcomeIsShownAndOneThatWasNotSteadyStandsOut() {
        LoadTestResult plain = result("reads");
        LoadTestResult notSteady = new LoadTestResult(plain.testClass(), plain.method(), plain.settings(),
                plain.startedAt(), plain.wallTime(), plain.total(), plain.serviceTime(), plain.operations(),
                plain.maxScheduleLag(), plain.slos(), plain.timelines(), plain.profile(), plain.generator(),
                new WarmupOutcome(true, false, Duration.ofSeconds(60), "7,120/s over the last 3 s, +9.0% on the 3"
                        + " before"));

        assertThat(render(new SuiteEntry(notSteady, SuiteEntry.Status.PASS, "")))
                .contains("<p class=\"failure warmup\">Warm-up: not steady after 60 s (7,120/s over the last 3 s,"
                        + " +9.0% on the 3 before); measured anyway</p>");
        assertThat(render(new SuiteEntry(plain, SuiteEntry.Status.PASS, ""))).as("a fixed warm-up")
                .doesNotContain("Warm-up:");
    }

    private static String render(SuiteEntry entry) {
        return HtmlReport.render(List.of(entry), Instant.EPOCH, Instant.EPOCH.plusSeconds(3),
                new MachineInfo("host", "Linux 6", "amd64", 2, "Java 17", 1 << 30), result -> Optional.empty());
    }

    private static LoadTestResult result(String method) {
        LoadTestResult plain = SampleResults.result("a.B", method, 100, 3, Duration.ofSeconds(2),
                SampleResults.latencyMillis(100, 1, 0.5, 1, 2, 3, 4), List.of(), List.of());
        Timeline timeline = new Timeline("", List.of(
                new IntervalStats(0, 1, 100, 0, 1_000_000, 2_000_000, 3_000_000, 4_000_000),
                new IntervalStats(1, 2, 0, 3, 0, 0, 0, 0)),
                List.of(new PercentileValue(0, 500_000), new PercentileValue(100, 4_000_000)),
                new LatencyTrend(95, 2_000_000, 3_000_000, 3));
        return new LoadTestResult(plain.testClass(), plain.method(), plain.settings(), plain.startedAt(),
                plain.wallTime(), plain.total(), plain.serviceTime(), plain.operations(), plain.maxScheduleLag(),
                plain.slos(), List.of(timeline));
    }
}
