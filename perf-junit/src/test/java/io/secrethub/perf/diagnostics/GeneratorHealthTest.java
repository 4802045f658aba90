package io.secrethub.perf.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.report.ConsoleReport;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.report.SuiteEntry;
import io.secrethub.perf.report.SuiteTable;
import io.secrethub.perf.report.SummaryMarkdown;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The load generator's own health: when it, not the system under test, set the figures, every report says so. */
class GeneratorHealthTest {

    private static final String BEHIND = "the load generator was the bottleneck \\([0-9.]+% behind schedule \\(limit"
            + " 10%, perf.generator.maxLag\\)\\): these figures measure the generator, not only the system under test";

    @Test
    void aRunThatCannotKeepItsScheduleSaysSoInEveryReport() throws Exception {
        FixtureRun run = FixtureRun.of(CannotKeepUp.class).with("perf.run.id", "run-7")
                .with("perf.generator.id", "gen-2");
        FixtureResults results = run.execute();

        assertThat(results.failureMessages()).as("reported, not failed, unless strict").isEmpty();
        LoadTestResult result = results.result("cannotKeepUp");
        GeneratorHealth generator = result.generator();
        // 60 arrivals due over 0.3 s, served at most 100/s: the last starts about 0.3 s late in a 0.6 s run.
        assertThat(generator.behindSchedulePercent()).isGreaterThan(30);
        assertThat(generator.wasBottleneck()).isTrue();
        assertThat(generator.runId()).isEqualTo("run-7");
        assertThat(generator.generatorId()).isEqualTo("gen-2");
        assertThat(generator.processCpuPercent()).isBetween(0.0, 100.0);

        assertThat(ConsoleReport.render(result)).containsPattern("   WARNING: " + BEHIND + "\n")
                .contains("; run run-7, generator gen-2");
        assertThat(Files.readString(ResultFiles.json(run.resultsDir(), CannotKeepUp.class.getName(), "cannotKeepUp")))
                .contains("\"bottleneck\" : \"" + generator.bottleneck() + "\"", "\"runId\" : \"run-7\"");
        List<SuiteEntry> entries = List.of(new SuiteEntry(result, SuiteEntry.Status.PASS, ""));
        assertThat(SuiteTable.render(entries)).containsPattern("WARNING: GeneratorHealthTest.CannotKeepUp"
                + ".cannotKeepUp: " + BEHIND);
        assertThat(SummaryMarkdown.render(entries)).contains("### Load generator").containsPattern(BEHIND);
    }

    @Test
    void strictFailsTheTestInstead() {
        FixtureResults results = FixtureRun.of(CannotKeepUp.class).with("perf.generator.strict", "true").execute();

        assertThat(results.failureMessages()).singleElement().asString().matches("cannotKeepUp: the load generator"
                + " was the bottleneck: [0-9.]+% behind schedule \\(limit 10%, perf.generator.maxLag\\)"
                + " \\(perf.generator.strict=true\\)");
    }

    @Test
    void aRunThatKeepsItsScheduleIsNotFlagged() {
        FixtureResults results = FixtureRun.of(KeepsUp.class).with("perf.generator.strict", "true")
                // Only the schedule is under test here: a CPU-starved shared build machine must not flag it.
                .with("perf.generator.maxCpu", "100%").execute();

        assertThat(results.failureMessages()).isEmpty();
        GeneratorHealth generator = results.result("keepsUp").generator();
        assertThat(generator.wasBottleneck()).as(generator.toString()).isFalse();
        assertThat(generator.bottleneck()).isEmpty();
    }

    @Test
    void aMalformedLimitFailsBeforeAnyLoadRuns() {
        int before = CannotKeepUp.CALLS.get();
        FixtureResults results = FixtureRun.of(CannotKeepUp.class).with("perf.generator.maxLag", "ten").execute();

        assertThat(results.failureMessages()).containsExactly("Invalid configuration parameter perf.generator.maxLag"
                + " = \"ten\": expected a percentage such as \"20%\" (digits, then %, no space)");
        assertThat(CannotKeepUp.CALLS.get()).isEqualTo(before);
    }

    static class CannotKeepUp {
        static final AtomicInteger CALLS = new AtomicInteger();

        @LoadTest(agents = 1, rate = 200, iterations = 60)
        void cannotKeepUp() throws InterruptedException {
            CALLS.incrementAndGet();
            Thread.sleep(10);
        }
    }

    static class KeepsUp {
        @LoadTest(agents = 4, rate = 50, iterations = 12)
        void keepsUp() throws InterruptedException {
            Thread.sleep(1);
        }
    }
}
