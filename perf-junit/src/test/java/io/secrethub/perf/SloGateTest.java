package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SLO annotations decide a load test's verdict, with one message naming every breach. */
class SloGateTest {

    @BeforeEach
    void reset() {
        Counting.CALLS.set(0);
    }

    @Test
    void metSlosPass() {
        FixtureResults results = FixtureRun.of(MetSlos.class).execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        LoadTestResult result = results.result("fast");
        assertThat(result.slosMet()).isTrue();
        assertThat(result.slos()).extracting(SloOutcome::annotation)
                .containsExactly("@MaxP95", "@MinThroughput", "@MaxErrorRate");
        assertThat(result.slos()).allSatisfy(slo -> assertThat(slo.passed()).isTrue());
    }

    @Test
    void p95AboveTargetFailsNamingThePercentileTheMeasuredValueAndTheAnnotation() {
        FixtureResults run = FixtureRun.of(SlowP95.class).execute();
        Throwable failure = run.onlyFailure();

        Matcher breach = Pattern.compile("sleeps5ms: p95 ([0-9.]+) ms > 1 ms \\(@MaxP95\\)")
                .matcher(failure.getMessage());
        assertThat(breach.find()).as(failure.getMessage()).isTrue();
        assertThat(Double.parseDouble(breach.group(1))).isGreaterThanOrEqualTo(5.0);
        assertThat(run.result("sleeps5ms").latency().p95Nanos()).isGreaterThanOrEqualTo(5_000_000);
    }

    @Test
    void unreachableThroughputFails() {
        Throwable failure = FixtureRun.of(UnreachableThroughput.class).execute().onlyFailure();

        assertThat(failure.getMessage()).matches("sleeps: throughput [0-9.]+/s < 1,000,000/s \\(@MinThroughput\\)");
    }

    @Test
    void errorRateAboveTargetFailsNamingTheExceptionTypeAndCount() {
        FixtureResults run = FixtureRun.of(TenPercentErrors.class).execute();
        Throwable failure = run.onlyFailure();

        assertThat(failure.getMessage()).isEqualTo(
                "failsEveryTenthCall: error rate 10% > 1% (@MaxErrorRate): java.lang.IllegalStateException x10");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(IllegalStateException.class);
        LoadTestResult result = run.result("failsEveryTenthCall");
        assertThat(result.errorCount()).isEqualTo(10);
        assertThat(result.successCount()).isEqualTo(90);
        assertThat(result.latency().count()).as("failures stay out of the histogram").isEqualTo(90);
        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.type()).isEqualTo("java.lang.IllegalStateException");
            assertThat(error.firstMessage()).startsWith("call ");
            assertThat(error.firstStackTrace()).contains("failsEveryTenthCall");
        });
    }

    @Test
    void failedInvocationsFailTheTestWithoutADeclaredErrorRate() {
        Throwable failure = FixtureRun.of(AlwaysFails.class).execute().onlyFailure();

        assertThat(failure.getMessage()).isEqualTo("throwsAlways: error rate 100% > 0% (@MaxErrorRate(0), the default):"
                + " java.lang.UnsupportedOperationException x3");
    }

    @Test
    void malformedDurationFailsBeforeRunningNamingTheAnnotationMethodAndText() {
        Throwable failure = FixtureRun.of(MalformedTarget.class).execute().onlyFailure();

        assertThat(failure.getMessage()).isEqualTo("Invalid @MaxP95(\"5 sec\") on SloGateTest.MalformedTarget.typo():"
                + " not a duration; expected a number and a unit (ns, us, ms, s, m, h), e.g. \"250us\", \"50ms\","
                + " \"1.5s\", \"2m\"");
        assertThat(Counting.CALLS).as("nothing ran").hasValue(0);
    }

    @Test
    void everyBreachIsListedInOneMessage() {
        FixtureResults run = FixtureRun.of(SeveralBreaches.class).execute();
        Throwable failure = run.onlyFailure();

        assertThat(failure.getMessage())
                .startsWith("slowAndRare: ")
                .containsPattern("p95 [0-9.]+ ms > 1 ms \\(@MaxP95\\); p99 [0-9.]+ ms > 2 ms \\(@MaxP99\\); "
                        + "mean [0-9.]+ ms > 1 ms \\(@MaxMeanLatency\\); throughput [0-9.]+/s < 1,000,000/s "
                        + "\\(@MinThroughput\\)");
        assertThat(run.result("slowAndRare").breaches()).hasSize(4);
    }

    @Test
    void operationSlosJudgeEachOperationAndNameOnlyTheFailingOne() {
        FixtureResults run = FixtureRun.of(PerOperation.class).execute();
        Throwable failure = run.onlyFailure();

        assertThat(failure.getMessage()).matches(
                "readThenWrite: operation \"write\" p95 [0-9.]+ ms > 1 ms \\(@MaxP95\\)");
        LoadTestResult result = run.result("readThenWrite");
        assertThat(result.operation("read").orElseThrow().successes()).isEqualTo(20);
        assertThat(result.operation("write").orElseThrow().latency().p50Nanos()).isGreaterThanOrEqualTo(3_000_000);
        assertThat(result.slos()).filteredOn(slo -> slo.operation().equals("read"))
                .allSatisfy(slo -> assertThat(slo.passed()).isTrue());
    }

    @Test
    void anSloOnAnOperationThatNeverRanIsABreach() {
        Throwable failure = FixtureRun.of(MisspelledOperation.class).execute().onlyFailure();

        assertThat(failure.getMessage()).isEqualTo("reads: operation \"raed\" never ran (@MaxP95); recorded operations:"
                + " read");
    }

    @Test
    void maxPercentileChecksAnyPercentile() {
        Throwable failure = FixtureRun.of(HighPercentile.class).execute().onlyFailure();

        assertThat(failure.getMessage()).matches("sleeps: p99.9 [0-9.]+ ms > 1 ms \\(@MaxPercentile\\)");
    }

    /** Counts calls, so a test can tell whether a fixture ran at all. */
    static final class Counting {
        static final AtomicInteger CALLS = new AtomicInteger();
    }

    static class MetSlos {
        @LoadTest(agents = 2, iterations = 50)
        @MaxP95("1s")
        @MinThroughput(1)
        @MaxErrorRate(0)
        void fast() {
            Counting.CALLS.incrementAndGet();
        }
    }

    static class SlowP95 {
        @LoadTest(iterations = 20)
        @MaxP95("1ms")
        void sleeps5ms() throws InterruptedException {
            Thread.sleep(5);
        }
    }

    static class UnreachableThroughput {
        @LoadTest(iterations = 5)
        @MinThroughput(1_000_000)
        void sleeps() throws InterruptedException {
            Thread.sleep(10);
        }
    }

    static class TenPercentErrors {
        @LoadTest(agents = 2, iterations = 50)
        @MaxErrorRate(1)
        void failsEveryTenthCall() {
            int call = Counting.CALLS.incrementAndGet();
            if (call % 10 == 0) {
                throw new IllegalStateException("call " + call);
            }
        }
    }

    static class AlwaysFails {
        @LoadTest(iterations = 3)
        void throwsAlways() {
            throw new UnsupportedOperationException("not yet");
        }
    }

    static class MalformedTarget {
        @LoadTest
        @MaxP95("5 sec")
        void typo() {
            Counting.CALLS.incrementAndGet();
        }
    }

    static class SeveralBreaches {
        @LoadTest(iterations = 5)
        @MaxP95("1ms")
        @MaxP99("2ms")
        @MaxMeanLatency("1ms")
        @MinThroughput(1_000_000)
        @MaxP50("1h")
        void slowAndRare() throws InterruptedException {
            Thread.sleep(5);
        }
    }

    static class PerOperation {
        @LoadTest(agents = 2, iterations = 10)
        @MaxP95(value = "1s", operation = "read")
        @MaxP95(value = "1ms", operation = "write")
        @MaxErrorRate(value = 0, operation = "read")
        void readThenWrite(Agent agent) throws Exception {
            int value = agent.time("read", () -> 42);
            agent.time("write", () -> Thread.sleep(3 + value % 2));
        }
    }

    static class MisspelledOperation {
        @LoadTest(iterations = 3)
        @MaxP95(value = "1s", operation = "raed")
        void reads(Agent agent) throws Exception {
            agent.time("read", () -> "value");
        }
    }

    static class HighPercentile {
        @LoadTest(iterations = 5)
        @MaxPercentile(percentile = 99.9, max = "1ms")
        void sleeps() throws InterruptedException {
            Thread.sleep(3);
        }
    }
}
