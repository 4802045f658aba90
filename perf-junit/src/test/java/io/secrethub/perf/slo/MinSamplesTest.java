package io.secrethub.perf.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxMeanLatency;
import io.secrethub.perf.MaxP50;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MaxPercentile;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.SloOutcome.Verdict;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import io.secrethub.perf.testkit.LaunchResults;
import io.secrethub.perf.testkit.Stdout;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * {@code minSamples} on percentile SLOs, through the engine as a build runs it: a percentile that rests on fewer
 * samples is neither met nor breached but inconclusive, says why in every report, and does not fail the test
 * (unless {@code perf.slo.inconclusive=fail}); with enough samples a breach fails exactly as before.
 *
 * <p>The fixtures sleep, so a 1 ms target is breached whenever it is judged: only lower bounds of latency are
 * relied on, never the machine's speed.
 */
class MinSamplesTest {

    @Test
    void aPercentileOnTooFewSamplesIsInconclusiveAndTheTestPasses() {
        FixtureResults results = FixtureRun.of(TooFew.class).execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        LoadTestResult result = results.result("sleeps");
        SloOutcome p99 = result.slos().get(0);
        assertThat(p99.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(p99.inconclusive()).isTrue();
        assertThat(p99.passed()).isFalse();
        assertThat(p99.failed()).isFalse();
        assertThat(p99.measured()).matches("[0-9.]+ ms \\(20 samples, 1,000 needed\\)");
        assertThat(p99.breach()).isEqualTo("p99 inconclusive: needs 1,000 samples, had 20 (@MaxP99)");
        assertThat(result.slosMet()).isTrue();
        assertThat(result.breaches()).isEmpty();
        assertThat(result.inconclusiveSlos()).containsExactly(p99);
        assertThat(results.reportEntries("sleeps")).containsEntry("perf.slos", "1 of 2 met, 1 inconclusive");
    }

    @Test
    void withEnoughSamplesABreachFailsWithTheSameMessageAsWithoutAMinimum() {
        FixtureResults results = FixtureRun.of(Enough.class).execute();

        assertThat(results.failureMessages()).hasSize(2).allSatisfy(message -> assertThat(message)
                .matches("(atTheMinimum|noMinimum): p99 [0-9.]+ ms > 1 ms \\(@MaxP99\\)"));
        assertThat(results.result("atTheMinimum").slos().get(0).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void everyPercentileAnnotationTakesAMinimumButTheMeanDoesNot() {
        FixtureResults results = FixtureRun.of(EveryKind.class).execute();

        assertThat(results.result("sleeps").slos()).extracting(SloOutcome::annotation, SloOutcome::verdict)
                .containsExactly(
                        tuple("@MaxP50", Verdict.INCONCLUSIVE),
                        tuple("@MaxP95", Verdict.INCONCLUSIVE),
                        tuple("@MaxPercentile", Verdict.INCONCLUSIVE),
                        tuple("@MaxMeanLatency", Verdict.FAIL),
                        tuple("@MaxErrorRate(0), the default", Verdict.PASS));
        assertThat(results.failureMessages()).singleElement().asString()
                .matches("sleeps: mean [0-9.]+ ms > 1 ms \\(@MaxMeanLatency\\)");
    }

    @Test
    void theConfiguredDefaultAppliesWhereTheAnnotationSetsNoneAndTheAnnotationWins() {
        FixtureResults withDefault = FixtureRun.of(ConfigDefault.class).with("perf.slo.minSamples", "1000")
                .execute();

        assertThat(withDefault.result("usesTheDefault").slos().get(0).breach())
                .isEqualTo("p99 inconclusive: needs 1,000 samples, had 20 (@MaxP99)");
        assertThat(withDefault.result("asksForFewer").slos().get(0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(withDefault.failureMessages()).hasSize(2).allSatisfy(message -> assertThat(message)
                .matches("(asksForFewer|optsOut): p99 [0-9.]+ ms > 1 ms \\(@MaxP99\\)"));

        FixtureResults withoutDefault = FixtureRun.of(ConfigDefault.class).execute();
        assertThat(withoutDefault.failureMessages()).as("perf.slo.minSamples defaults to 0: all judged").hasSize(3);
    }

    @Test
    void strictModeFailsTheTestOnAnInconclusiveSloAndSaysWhy() {
        FixtureResults results = FixtureRun.of(TooFew.class).with("perf.slo.inconclusive", "fail").execute();

        assertThat(results.onlyFailure().getMessage()).isEqualTo("sleeps: p99 inconclusive: needs 1,000 samples,"
                + " had 20 (@MaxP99; perf.slo.inconclusive=fail)");
        SloOutcome p99 = results.result("sleeps").slos().get(0);
        assertThat(p99.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(p99.measured()).endsWith(" (20 samples, 1,000 needed)");
        assertThat(FixtureRun.of(TooFew.class).with("perf.slo.inconclusive", "report").execute().failureMessages())
                .isEmpty();
    }

    @Test
    void windowsWithTooFewSamplesAreNotJudgedAndTheOutcomeSaysHowMany() {
        FixtureResults results = FixtureRun.of(FastThenSlow.class).execute();

        SloOutcome windowed = results.result("fastThenSlow").slos().get(0);
        assertThat(windowed.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(results.failureMessages()).singleElement().asString().matches("fastThenSlow: p99 per 200 ms: "
                + "[0-9.]+ [mun]?s > 1 ns in the window [0-9.]+-[0-9.]+ s, the worst of [0-9]+ windows;"
                + " [0-9]+ breached; [1-9][0-9]* windows? of fewer than 100 samples not judged \\(@MaxP99\\)");
    }

    @Test
    void aRunWhoseWindowsAllHaveTooFewSamplesIsInconclusiveAndIsNotStopped() {
        FixtureResults results = FixtureRun.of(SlowWindows.class).execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        LoadTestResult result = results.result("slow");
        assertThat(result.wallTime()).as("abortOnFailure: a window too small to judge stops nothing")
                .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        SloOutcome windowed = result.slos().get(0);
        assertThat(windowed.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(windowed.measured()).matches("not judged: no window had 1,000 samples \\([0-9]+ windows, at most"
                + " [0-9]+ each\\)");
        assertThat(windowed.breach()).matches("p99 per 200 ms inconclusive: needs 1,000 samples in a window, no"
                + " window had 1,000 samples \\([0-9]+ windows, at most [0-9]+ each\\) \\(@MaxP99\\)");
    }

    @Test
    void everyReportShowsTheInconclusiveVerdictAndItsReason() throws Exception {
        FixtureRun run = FixtureRun.of(TooFew.class).with("perf.report.console", "true");
        Stdout.Captured<LaunchResults> launched = Stdout.capture(run::launch);
        TestExecutionSummary summary = launched.value().summary();

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        String reason = "p99 inconclusive: needs 1,000 samples, had 20 (@MaxP99)";
        String printed = launched.printed();
        assertThat(printed).containsPattern("INCONCLUSIVE +p99 <= 1 ms +[0-9.]+ ms \\(20 samples, 1,000 needed\\)"
                        + " +@MaxP99")
                .contains("   INCONCLUSIVE: too few samples to judge, so neither met nor breached; the test does not"
                        + " fail on it (perf.slo.inconclusive=fail would)")
                .contains("Load test summary: 1 test, all passed, 1 SLO inconclusive")
                .containsPattern("p99 \\(@MaxP99\\) +<= 1 ms +[0-9.]+ ms \\(20 samples, 1,000 needed\\) +INCONCLUSIVE");
        String json = Files.readString(ResultFiles.json(run.resultsDir(), TooFew.class.getName(), "sleeps"));
        assertThat(json).containsPattern("\"verdict\" ?: ?\"INCONCLUSIVE\"")
                .containsPattern("\"passed\" ?: ?false").contains(reason);
        String markdown = Files.readString(run.resultsDir().resolve(ResultFiles.SUMMARY));
        assertThat(markdown).contains("1 load test, all passed, 1 SLO inconclusive.")
                .containsPattern("\\| MinSamplesTest.TooFew.sleeps \\| p99 \\(@MaxP99\\) \\| <= 1 ms \\| [0-9.]+ ms"
                        + " \\(20 samples, 1,000 needed\\) \\| ❔ INCONCLUSIVE \\|")
                .contains("- MinSamplesTest.TooFew.sleeps: " + reason);
        String html = Files.readString(run.resultsDir().resolve(ResultFiles.HTML));
        assertThat(html).contains("<td class=\"INCONCLUSIVE\">INCONCLUSIVE</td>")
                .contains("(20 samples, 1,000 needed)").contains(reason);
    }

    @Test
    void aNegativeMinimumFailsBeforeAnyLoadNamingTheAnnotationTheMethodAndTheValue() {
        FixtureResults results = FixtureRun.of(Bad.class).execute();

        assertThat(results.failureMessages()).containsExactlyInAnyOrder(
                "Invalid @MaxP99(value = \"1ms\", minSamples = -5) on MinSamplesTest.Bad.negative(): minSamples must"
                        + " be 0 or more (or -1, the default: perf.slo.minSamples)",
                "Invalid @MaxPercentile(percentile = 99.9, max = \"1s\", window = \"1s\", minSamples = -1000) on"
                        + " MinSamplesTest.Bad.negativeWindowed(): minSamples must be 0 or more (or -1, the default:"
                        + " perf.slo.minSamples)");
        assertThat(Bad.INVOCATIONS).hasValue(0);
    }

    @Test
    void aBadConfiguredMinimumOrModeFailsBeforeAnyLoadNamingTheKeyAndTheValue() {
        assertThat(FixtureRun.of(Bad.Counted.class).with("perf.slo.minSamples", "-3").execute().failureMessages())
                .containsExactly("Invalid configuration parameter perf.slo.minSamples = \"-3\": expected a whole"
                        + " number of at least 0");
        assertThat(FixtureRun.of(Bad.Counted.class).with("perf.slo.inconclusive", "pass").execute().failureMessages())
                .containsExactly("Invalid configuration parameter perf.slo.inconclusive = \"pass\": expected report"
                        + " (the default) or fail");
        assertThat(Bad.INVOCATIONS).hasValue(0);
    }

    static class TooFew {
        @LoadTest(iterations = 20)
        @MaxP99(value = "1ms", minSamples = 1000)
        void sleeps() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    static class Enough {
        @LoadTest(iterations = 20)
        @MaxP99(value = "1ms", minSamples = 20)
        void atTheMinimum() throws InterruptedException {
            Thread.sleep(2);
        }

        @LoadTest(iterations = 20)
        @MaxP99("1ms")
        void noMinimum() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    static class EveryKind {
        @LoadTest(iterations = 20)
        @MaxP50(value = "1ms", minSamples = 100)
        @MaxP95(value = "1ms", minSamples = 100)
        @MaxPercentile(percentile = 99.9, max = "1ms", minSamples = 100)
        @MaxMeanLatency("1ms")
        void sleeps() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    static class ConfigDefault {
        @LoadTest(iterations = 20)
        @MaxP99("1ms")
        void usesTheDefault() throws InterruptedException {
            Thread.sleep(2);
        }

        @LoadTest(iterations = 20)
        @MaxP99(value = "1ms", minSamples = 10)
        void asksForFewer() throws InterruptedException {
            Thread.sleep(2);
        }

        @LoadTest(iterations = 20)
        @MaxP99(value = "1ms", minSamples = 0)
        void optsOut() throws InterruptedException {
            Thread.sleep(2);
        }
    }

    /** Hundreds of thousands of calls a window for 0.6 s, then at most ten a window (20 ms each). */
    static class FastThenSlow {
        private static final AtomicLong START = new AtomicLong();

        @LoadTest(agents = 1, duration = "1.4s")
        @MaxP99(value = "1ns", window = "200ms", minSamples = 100)
        void fastThenSlow() {
            START.compareAndSet(0, System.nanoTime());
            if (System.nanoTime() - START.get() > 600_000_000) {
                LockSupport.parkNanos(20_000_000);
            }
        }
    }

    /** At most 100 calls a window of 200 ms (2 ms each), against a minimum of 1,000. */
    static class SlowWindows {
        @LoadTest(agents = 1, duration = "1s", abortOnFailure = true)
        @MaxP99(value = "1ms", window = "200ms", minSamples = 1000)
        void slow() {
            LockSupport.parkNanos(2_000_000);
        }
    }

    static class Bad {
        static final AtomicInteger INVOCATIONS = new AtomicInteger();

        @LoadTest(iterations = 5)
        @MaxP99(value = "1ms", minSamples = -5)
        void negative() {
            INVOCATIONS.incrementAndGet();
        }

        @LoadTest(iterations = 5)
        @MaxPercentile(percentile = 99.9, max = "1s", window = "1s", minSamples = -1000)
        void negativeWindowed() {
            INVOCATIONS.incrementAndGet();
        }

        static class Counted {
            @LoadTest(iterations = 5)
            @MaxP99("1s")
            void counted() {
                INVOCATIONS.incrementAndGet();
            }
        }
    }
}
