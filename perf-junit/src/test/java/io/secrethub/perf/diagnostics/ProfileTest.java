package io.secrethub.perf.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.Agent;
import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.ProfileEntry;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.report.ConsoleReport;
import io.secrethub.perf.report.HtmlReport;
import io.secrethub.perf.report.MachineInfo;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.report.SuiteEntry;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** {@code perf.profile}: a JFR recording of the measured part and its summary in every report. */
class ProfileTest {

    @Test
    void jfrNamesTheMethodThatBurnsTheCpuInTheConsoleJsonAndHtml() throws Exception {
        FixtureRun run = FixtureRun.of(Burner.class).with("perf.profile", "jfr").with("perf.threads", "platform");
        FixtureResults results = run.execute();

        assertThat(results.failureMessages()).isEmpty();
        LoadTestResult result = results.result("burns");
        ProfileSummary profile = result.profile();
        assertThat(profile.mode()).isEqualTo("jfr");
        assertThat(profile.note()).as("the agent's own thread was sampled").isEmpty();
        assertThat(profile.executionSamples()).isPositive();
        assertThat(profile.hotMethods()).isNotEmpty().hasSizeLessThanOrEqualTo(10);
        assertThat(profile.hotMethods().get(0).name()).as(profile.hotMethods().toString())
                .isEqualTo(Burner.class.getName() + ".spinHash");
        assertThat(profile.allocationSites()).as("the fixture allocates a 512 KB long[] per call").isNotEmpty()
                .anySatisfy(site -> assertThat(site.name()).contains("ProfileTest$Burner.burns:").endsWith(" long[]"));
        assertThat(profile.gcPauseTotalNanos()).isNotNegative();

        // The file holds the measured part only: no sample of the 300 ms the @BeforeAgent method burns.
        Path jfr = ResultFiles.jfr(run.resultsDir(), Burner.class.getName(), "burns");
        assertThat(Path.of(profile.file())).isEqualTo(jfr);
        assertThat(jfr).isRegularFile();
        assertThat(RecordingFile.readAllEvents(jfr)).isNotEmpty()
                .noneMatch(event -> event.getStackTrace() != null && event.getStackTrace().getFrames().stream()
                        .anyMatch(frame -> frame.getMethod().getName().equals("setUpOnly")));
        assertThat(Burner.SET_UP).hasValueGreaterThan(0);

        String json = Files.readString(ResultFiles.json(run.resultsDir(), Burner.class.getName(), "burns"));
        assertThat(json).contains("\"profile\"", "\"hotMethods\"", "ProfileTest$Burner.spinHash");
        assertThat(ConsoleReport.render(result)).contains("profile: jfr, " + jfr, "hot method (top frame)",
                "ProfileTest$Burner.spinHash", "allocation site", "GC ");
        String page = HtmlReport.render(List.of(new SuiteEntry(result, SuiteEntry.Status.PASS, "")), Instant.EPOCH,
                Instant.EPOCH, new MachineInfo("h", "Linux", "amd64", 2, "17", 1 << 30), r -> Optional.empty());
        assertThat(page).contains("<table class=\"profile\"><tr><th>hot method (top frame)</th>",
                "ProfileTest$Burner.spinHash");
    }

    @Test
    void gcRecordsOnlyTheCountersAndNoFile() {
        FixtureRun run = FixtureRun.of(Burner.class).with("perf.profile", "gc").with("perf.threads", "platform");
        FixtureResults results = run.execute();

        ProfileSummary profile = results.result("burns").profile();
        assertThat(profile.mode()).isEqualTo("gc");
        assertThat(profile.file()).isEmpty();
        assertThat(profile.hotMethods()).isEmpty();
        assertThat(profile.gcPauseTotalNanos()).isNotNegative();
        assertThat(profile.allocatedBytes()).as("a 512 KB long[] per call").isGreaterThan(512L * 10);
        assertThat(ResultFiles.jfr(run.resultsDir(), Burner.class.getName(), "burns")).doesNotExist();
        assertThat(ConsoleReport.render(results.result("burns"))).contains("profile: gc, GC ");
    }

    @Test
    void withoutTheOptionNothingIsProfiled() {
        FixtureResults results = FixtureRun.of(Burner.class).execute();

        assertThat(results.result("burns").profile()).isEqualTo(ProfileSummary.OFF);
        assertThat(ConsoleReport.render(results.result("burns"))).doesNotContain("profile:");
    }

    @Test
    void anUnknownModeFailsBeforeAnyLoadRuns() {
        int before = Burner.CALLS.get();
        FixtureResults results = FixtureRun.of(Burner.class).with("perf.profile", "yes").execute();

        assertThat(results.failureMessages()).containsExactly(
                "Invalid configuration parameter perf.profile = \"yes\": expected off, gc or jfr");
        assertThat(Burner.CALLS.get()).isEqualTo(before);
    }

    @Test
    void profileEntriesKeepTheirFiguresThroughJson() {
        ProfileEntry entry = new ProfileEntry("a.B.c", 3, 42);
        assertThat(entry.events()).isEqualTo(3);
        assertThat(entry.weight()).isEqualTo(42);
    }

    static class Burner {
        static final AtomicInteger CALLS = new AtomicInteger();
        static final AtomicInteger SET_UP = new AtomicInteger();
        static volatile long sink;
        static volatile long[] allocated;

        @BeforeAgent
        void setUp() {
            long end = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() - end < 0) {
                setUpOnly();
            }
        }

        @LoadTest(agents = 1, duration = "1500ms")
        void burns(Agent agent) {
            CALLS.incrementAndGet();
            allocated = new long[64 * 1024];
            sink += spinHash(agent.iteration());
        }

        private static void setUpOnly() {
            SET_UP.incrementAndGet();
            long x = 0;
            for (int i = 0; i < 20_000; i++) {
                x = x * 31 + i;
            }
            sink += x;
        }

        /** About 50 µs of arithmetic the JIT cannot remove. */
        static long spinHash(long seed) {
            long x = seed;
            for (int i = 0; i < 100_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
                x ^= x >>> 29;
            }
            return x;
        }
    }
}
