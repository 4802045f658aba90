package io.secrethub.perf.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.Agent;
import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.PercentileValue;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import io.secrethub.perf.testkit.LaunchResults;
import io.secrethub.perf.testkit.Stdout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Every load test leaves JSON and an interval log; every run leaves run.json, summary.md and a suite table. */
class ReportFilesTest {

    @Test
    void eachMethodWritesJsonThatReadsBackAsItsResult() {
        FixtureRun run = FixtureRun.of(ReportedToAfterEach.class);
        FixtureResults results = run.execute();

        for (String method : List.of("mixed", "breaches")) {
            Path json = ResultFiles.json(run.resultsDir(), ReportedToAfterEach.class.getName(), method);
            assertThat(ResultJson.read(json).toString()).as("the JSON holds every figure @AfterEach received")
                    .isEqualTo(results.resultSeenByAfterEach(method));
        }
    }

    @Test
    void eachMethodWritesAnIntervalLogWithEverySeries() throws Exception {
        FixtureRun run = FixtureRun.of(Reported.class);
        FixtureResults results = run.execute();

        Path hlog = ResultFiles.hlog(run.resultsDir(), Reported.class.getName(), "mixed");
        Map<String, Long> countsByTag = new HashMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                countsByTag.merge(interval.getTag(), ((org.HdrHistogram.Histogram) interval).getTotalCount(),
                        Long::sum);
            }
        }
        LoadTestResult result = results.result("mixed");
        // The whole method's latency is untagged (null), so HistogramLogProcessor reads it without -tag.
        assertThat(countsByTag).containsOnlyKeys(null, "op.get", "op.put_all")
                .containsEntry(null, result.successCount())
                .containsEntry("op.get", result.operation("get").orElseThrow().successes())
                .containsEntry("op.put_all", 40L);
    }

    @Test
    void theTimelinesAddUpToTheTotals() {
        LoadTestResult result = FixtureRun.of(LongRun.class).with("perf.progress.interval", "100ms").execute()
                .result("runsASecond");

        Timeline method = result.timeline("").orElseThrow();
        assertThat(method.intervals()).as("about ten 100 ms intervals").hasSizeGreaterThanOrEqualTo(5);
        assertThat(method.intervals().stream().mapToLong(IntervalStats::successes).sum())
                .isEqualTo(result.successCount());
        assertThat(method.intervals()).isSortedAccordingTo(java.util.Comparator.comparingDouble(
                IntervalStats::startSeconds)).allSatisfy(interval -> assertThat(interval.endSeconds())
                .isGreaterThanOrEqualTo(interval.startSeconds()));
        assertThat(method.distribution()).isNotEmpty()
                .isSortedAccordingTo(java.util.Comparator.comparingDouble(PercentileValue::percentile));
        assertThat(method.distribution().get(method.distribution().size() - 1))
                .isEqualTo(new PercentileValue(100, result.latency().maxNanos()));
    }

    @Test
    void headlineFiguresArePublishedAsReportEntries() {
        FixtureResults results = FixtureRun.of(Reported.class).execute();

        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs()).toList();
        assertThat(entries).hasSize(2).allSatisfy(entry -> assertThat(entry).containsKeys("perf.invocations",
                "perf.errors", "perf.throughput", "perf.mean", "perf.p50", "perf.p95", "perf.p99", "perf.max",
                "perf.slos", ReportEntries.RESULT_FILE));
        assertThat(entries.get(0)).containsEntry("perf.invocations", "40").containsEntry("perf.slos", "all 2 met");
        assertThat(entries.get(1)).containsEntry("perf.slos", "1 of 2 breached");
    }

    @Test
    void aLauncherRunWritesRunJsonAndSummaryMarkdownAndPrintsTheSuiteTable() throws Exception {
        FixtureRun run = FixtureRun.of(Reported.class).with("perf.report.console", "true");
        Stdout.Captured<LaunchResults> launched = Stdout.capture(run::launch);
        TestExecutionSummary summary = launched.value().summary();

        assertThat(summary.getTestsFailedCount()).isEqualTo(1);
        Map<String, Object> runJson = ResultJson.readJson(run.resultsDir().resolve(ResultFiles.RUN_JSON));
        assertThat(runJson).containsEntry("tests", 2).containsEntry("failed", 1)
                .containsKeys("startedAt", "finishedAt");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) runJson.get("results");
        assertThat(results).extracting(result -> result.get("status")).containsExactly("PASS", "FAIL");
        assertThat((String) results.get(1).get("failure")).startsWith("breaches: throughput ");
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) results.get(0).get("result");
        assertThat(ResultJson.fromMap(first).method()).isEqualTo("mixed");

        String markdown = Files.readString(run.resultsDir().resolve(ResultFiles.SUMMARY));
        assertThat(markdown).startsWith("## Load test results\n\n2 load tests, **1 failed**.")
                .contains("| ReportFilesTest.Reported.mixed | ✅ PASS | ")
                .contains("| ReportFilesTest.Reported.breaches | ❌ FAIL | ")
                .contains("| ReportFilesTest.Reported.breaches | throughput (@MinThroughput) | >= 1,000,000,000,000/s")
                .contains("### Failures");

        String printed = launched.printed();
        assertThat(printed).contains("Load test summary: 2 tests, 1 failed")
                .contains("== ReportFilesTest.Reported.mixed (closed model, 2 agents x 20 iterations");
    }

    @Test
    void aLongRunPrintsProgressLines() {
        String printed = Stdout.capture(FixtureRun.of(LongRun.class).with("perf.report.console", "true")
                .with("perf.progress.interval", "250ms")::execute).printed();

        List<String> progress = printed.lines()
                .filter(line -> line.startsWith("[perf] ReportFilesTest.LongRun.runsASecond: ")).toList();
        assertThat(progress).hasSizeGreaterThanOrEqualTo(2)
                .allMatch(line -> line.matches(".*: [0-9.]+ m?s, [0-9,.]+ ops/s, p95 [0-9.]+ [mun]?s, 0 errors"));
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Reported {
        @Order(1)
        @LoadTest(agents = 2, iterations = 20)
        @MaxP95(value = "1s", operation = "get")
        void mixed(Agent agent) throws Exception {
            Set<Integer> values = new HashSet<>();
            agent.time("get", () -> values.add(agent.random().nextInt(100)));
            agent.time("put all", () -> values.addAll(Set.of(1, 2, 3)));
        }

        @Order(2)
        @LoadTest(iterations = 3)
        @MinThroughput(1e12)
        void breaches() {
        }
    }

    /** {@link Reported} with an {@code @AfterEach} that publishes the result it receives. */
    static class ReportedToAfterEach extends Reported {
        @AfterEach
        void publish(LoadTestResult result, TestReporter reporter) {
            reporter.publishEntry(FixtureResults.AFTER_EACH_RESULT, result.toString());
        }
    }

    static class LongRun {
        @LoadTest(duration = "1s")
        void runsASecond() throws InterruptedException {
            Thread.sleep(1);
        }
    }
}
