package io.secrethub.perf.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.testkit.FixtureRun;
import io.secrethub.perf.testkit.LaunchResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Load tests that a test runs through the Test Kit, in the same JVM as the outer launcher, stay out of the outer
 * run's suite table and files: the listener only hears report entries of its own launcher's execution.
 */
class SuiteIsolationTest {

    @Test
    void fixtureRunsInsideATestDoNotLeakIntoTheOuterSuiteReport() throws Exception {
        FixtureRun outer = FixtureRun.of(OuterSuite.class).with("perf.report.console", "false");

        LaunchResults launched = outer.launch();
        TestExecutionSummary summary = launched.summary();

        assertThat(summary.getTestsSucceededCount()).as(String.valueOf(summary.getFailures())).isEqualTo(2);
        Path innerResults = Path.of(launched.reportEntries("runsAFixtureOfItsOwn").get(OuterSuite.INNER_RESULTS));
        Path innerJson = ResultFiles.json(innerResults, InnerFixture.class.getName(), "innerLoad");
        assertThat(innerJson).as("the inner load test ran and reported to its own directory").exists();

        Map<String, Object> run = ResultJson.readJson(outer.resultsDir().resolve(ResultFiles.RUN_JSON));
        assertThat(run).containsEntry("tests", 1);
        @SuppressWarnings("unchecked")
        List<Map<String, Map<String, Object>>> results = (List<Map<String, Map<String, Object>>>) run.get("results");
        assertThat(results).singleElement()
                .satisfies(entry -> assertThat(entry.get("result")).containsEntry("method", "outerLoad"));
        String summaryMarkdown = Files.readString(outer.resultsDir().resolve(ResultFiles.SUMMARY));
        assertThat(summaryMarkdown).contains("OuterSuite.outerLoad").doesNotContain("innerLoad");
        try (var files = Files.list(outer.resultsDir())) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.contains("Inner"));
        }
    }

    static class OuterSuite {
        static final String INNER_RESULTS = "test.innerResultsDir";

        @LoadTest(iterations = 3)
        void outerLoad() {
        }

        @org.junit.jupiter.api.Test
        void runsAFixtureOfItsOwn(TestReporter reporter) {
            FixtureRun inner = FixtureRun.of(InnerFixture.class);
            inner.execute().testEvents().assertStatistics(stats -> stats.succeeded(1));
            reporter.publishEntry(INNER_RESULTS, inner.resultsDir().toString());
        }
    }

    static class InnerFixture {
        @LoadTest(iterations = 2)
        void innerLoad() {
        }
    }
}
