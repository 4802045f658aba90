package io.secrethub.perf.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.HostConditions;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.SampleResults;
import io.secrethub.perf.report.ConsoleReport;
import io.secrethub.perf.report.HtmlReport;
import io.secrethub.perf.report.MachineInfo;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.report.ResultJson;
import io.secrethub.perf.report.SuiteEntry;
import io.secrethub.perf.report.SuiteTable;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code perf.hostProbe}: the host's CPU and disk speed before and after each load test, in every report. */
class HostProbeTest {

    @Test
    void probesBeforeAndAfterEachTestAndPutsThemOnTheScaleOfTheRunsMedian() throws Exception {
        FixtureRun run = FixtureRun.of(TwoTests.class).with("perf.hostProbe", "true");
        FixtureResults results = run.execute();

        assertThat(results.failureMessages()).isEmpty();
        LoadTestResult first = results.result("first");
        LoadTestResult second = results.result("second");
        for (LoadTestResult result : List.of(first, second)) {
            HostConditions host = result.host();
            assertThat(host.measured()).as(result.name()).isTrue();
            assertThat(Stream.of(host.before(), host.after()))
                    .allSatisfy(sample -> {
                        assertThat(sample.hashesPerSecond()).isGreaterThan(1);
                        assertThat(sample.syncsPerSecond()).isGreaterThan(1);
                    });
            assertThat(host.describe()).matches("CPU [\\d,.]+ -> [\\d,.]+ SHA-256/s \\(\\d+\\.\\d\\dx\\), "
                    + "disk [\\d,.]+ -> [\\d,.]+ syncs/s \\(\\d+\\.\\d\\dx\\)");
            // The JSON round trip keeps every figure.
            LoadTestResult read = ResultJson.read(ResultFiles.json(run.resultsDir(), TwoTests.class.getName(),
                    result.method()));
            assertThat(read.host()).isEqualTo(host);
        }
        try (Stream<Path> files = Files.list(run.resultsDir())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("the probe's file is deleted").noneMatch(name -> name.startsWith("host-probe-"));
        }

        assertThat(ConsoleReport.render(first)).contains("   host: " + first.host().describe() + "\n");
        List<SuiteEntry> entries = List.of(new SuiteEntry(first, SuiteEntry.Status.PASS, ""),
                new SuiteEntry(second, SuiteEntry.Status.PASS, ""));
        assertThat(SuiteTable.render(entries)).contains(
                "Host probes (perf.hostProbe), as multiples of the run's median probe (", "CPU before",
                "disk syncs after", "HostProbeTest.TwoTests.first", "HostProbeTest.TwoTests.second");
        String page = HtmlReport.render(entries, Instant.EPOCH, Instant.EPOCH,
                new MachineInfo("h", "Linux", "amd64", 2, "17", 1 << 30), r -> Optional.empty());
        assertThat(page).contains("<p class=\"host\">Host (perf.hostProbe): "
                + first.host().describe().replace(">", "&gt;") + "</p>");
    }

    @Test
    void offByDefaultAndSilent() {
        FixtureResults results = FixtureRun.of(TwoTests.class).execute();

        LoadTestResult result = results.result("first");
        assertThat(result.host()).isEqualTo(HostConditions.NONE);
        assertThat(ConsoleReport.render(result)).doesNotContain("host:");
        assertThat(SuiteTable.render(List.of(new SuiteEntry(result, SuiteEntry.Status.PASS, ""))))
                .doesNotContain("Host probes");
    }

    @Test
    void aValueThatIsNotABooleanFailsNamingTheKey() {
        FixtureResults results = FixtureRun.of(TwoTests.class).with("perf.hostProbe", "yes").execute();

        assertThat(results.failureMessages()).isNotEmpty()
                .allSatisfy(message -> assertThat(message).contains("perf.hostProbe")
                        .contains("expected true or false"));
    }

    @Test
    void theSuiteSectionScalesByTheMedianSoOneBadProbeSkewsNothing() {
        // The first probe of the run was taken at a bad moment: a quarter of the disk's usual rate.
        LoadTestResult badStart = withHost(new HostConditions(new HostConditions.Sample(500_000, 2_000),
                new HostConditions.Sample(500_000, 8_000)), "badStart");
        LoadTestResult steady = withHost(new HostConditions(new HostConditions.Sample(500_000, 8_000),
                new HostConditions.Sample(490_000, 8_000)), "steady");
        LoadTestResult slowDisk = withHost(new HostConditions(new HostConditions.Sample(510_000, 8_000),
                new HostConditions.Sample(500_000, 5_200)), "slowDisk");

        String table = SuiteTable.render(List.of(new SuiteEntry(badStart, SuiteEntry.Status.PASS, ""),
                new SuiteEntry(steady, SuiteEntry.Status.PASS, ""), new SuiteEntry(slowDisk, SuiteEntry.Status.PASS,
                        "")));

        // Six probes: CPU median 500,000; disk 2,000, 5,200 and four of 8,000: median 8,000.
        assertThat(table).contains("as multiples of the run's median probe (500,000 SHA-256/s, 8,000 disk syncs/s): "
                + "CPU 0.98x-1.02x, disk syncs 0.25x-1.00x");
        assertThat(table.lines().filter(line -> line.contains("Sample.slowDisk") && line.endsWith("x"))
                .findFirst().orElseThrow()).matches(".*1\\.02x +1\\.00x +1\\.00x +0\\.65x");
    }

    private static LoadTestResult withHost(HostConditions host, String method) {
        LoadTestResult r = SampleResults.result("com.example.Sample", method, 100, 0, Duration.ofSeconds(1),
                SampleResults.latencyMillis(100, 1, 1, 1, 1, 1, 1), List.of(), List.of());
        return new LoadTestResult(r.testClass(), r.method(), r.settings(), r.startedAt(), r.wallTime(), r.total(),
                r.serviceTime(), r.operations(), r.maxScheduleLag(), r.slos(), r.timelines(), r.profile(),
                r.generator(), r.warmup(), host);
    }

    /** Two short load tests. */
    static class TwoTests {

        @LoadTest(agents = 2, iterations = 20)
        void first() throws InterruptedException {
            Thread.sleep(1);
        }

        @LoadTest(agents = 2, iterations = 20)
        void second() throws InterruptedException {
            Thread.sleep(1);
        }
    }
}
