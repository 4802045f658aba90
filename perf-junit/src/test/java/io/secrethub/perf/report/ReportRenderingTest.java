package io.secrethub.perf.report;

import static io.secrethub.perf.SampleResults.failed;
import static io.secrethub.perf.SampleResults.latencyMillis;
import static io.secrethub.perf.SampleResults.passed;
import static io.secrethub.perf.SampleResults.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.SloOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tables a user reads first: figures in the right columns, aligned. */
class ReportRenderingTest {

    private static final LoadTestResult READS = result("com.example.SecretsLoadTest", "secretReads", 9_990, 10,
            Duration.ofMillis(2_500), latencyMillis(9_990, 3.2, 0.41, 2.9, 7.85, 12.3, 48.0),
            List.of(new ErrorSummary("java.net.SocketTimeoutException", 10, "Read timed out",
                    "java.net.SocketTimeoutException: Read timed out\n\tat com.example.Client.read(Client.java:42)\n")),
            List.of(passed("@MaxP95", "p95", "50 ms", "7.85 ms"),
                    new SloOutcome("@MaxErrorRate", "", "error rate", SloOutcome.Comparator.AT_MOST, "1%", "0.1%",
                            true, "")));
    private static final LoadTestResult WRITES = result("com.example.SecretsLoadTest", "secretWrites", 480, 0,
            Duration.ofSeconds(1), latencyMillis(480, 62.4, 20.0, 55.0, 62.1, 80.0, 95.5), List.of(),
            List.of(failed("@MaxP95", "p95", "50 ms", "62.1 ms")));

    @Test
    void suiteTableAlignsEveryColumn() {
        String table = SuiteTable.render(List.of(new SuiteEntry(READS, SuiteEntry.Status.PASS, ""),
                new SuiteEntry(WRITES, SuiteEntry.Status.FAIL, "secretWrites: p95 62.1 ms > 50 ms (@MaxP95)")));

        // CHECKSTYLE.OFF: LineLength (the expected table is as wide as the real one)
        assertThat(table).isEqualTo("""

                Load test summary: 2 tests, 1 failed

                  test                          result  duration     ops  success  errors  throughput     mean     min     p50      p95      p99      max  phases
                  ----------------------------  ------  --------  ------  -------  ------  ----------  -------  ------  ------  -------  -------  -------  -----------
                  SecretsLoadTest.secretReads   PASS       2.5 s  10,000    99.9%      10     3,996/s   3.2 ms  410 us  2.9 ms  7.85 ms  12.3 ms    48 ms  ok
                  SecretsLoadTest.secretWrites  FAIL         1 s     480     100%       0       480/s  62.4 ms   20 ms   55 ms  62.1 ms    80 ms  95.5 ms  7.9x slower

                  test                          slo                           target  measured  result
                  ----------------------------  --------------------------  --------  --------  ------
                  SecretsLoadTest.secretReads   p95 (@MaxP95)               <= 50 ms   7.85 ms  PASS
                                                error rate (@MaxErrorRate)     <= 1%      0.1%  PASS
                  SecretsLoadTest.secretWrites  p95 (@MaxP95)               <= 50 ms   62.1 ms  FAIL
                """);
        // CHECKSTYLE.ON: LineLength
    }

    @Test
    void inconclusiveSlosReadAsSuchInEveryTableAndRoundTripThroughJson() {
        SloOutcome inconclusive = new SloOutcome("@MaxP99", "", "p99", SloOutcome.Comparator.AT_MOST, "200 ms",
                "202 ms (360 samples, 1,000 needed)", SloOutcome.Verdict.INCONCLUSIVE,
                "p99 inconclusive: needs 1,000 samples, had 360 (@MaxP99)");
        LoadTestResult logins = result("com.example.SecretsLoadTest", "logins", 360, 0, Duration.ofSeconds(3),
                latencyMillis(360, 12, 5, 10, 40, 202, 250), List.of(),
                List.of(passed("@MaxP95", "p95", "100 ms", "40 ms"), inconclusive));

        assertThat(ConsoleReport.render(logins)).contains("""
                   result        requirement                              measured  annotation
                   ------------  -------------  ----------------------------------  ----------
                   PASS          p95 <= 100 ms                               40 ms  @MaxP95
                   INCONCLUSIVE  p99 <= 200 ms  202 ms (360 samples, 1,000 needed)  @MaxP99
                   INCONCLUSIVE: too few samples to judge, so neither met nor breached; the test does not fail on it\
                 (perf.slo.inconclusive=fail would)
                """);
        String suite = SuiteTable.render(List.of(new SuiteEntry(logins, SuiteEntry.Status.PASS, "")));
        assertThat(suite).startsWith("\nLoad test summary: 1 test, all passed, 1 SLO inconclusive\n")
                .containsPattern("p99 \\(@MaxP99\\) +<= 200 ms +202 ms \\(360 samples, 1,000 needed\\) +INCONCLUSIVE");
        assertThat(logins.slosMet()).isTrue();

        java.util.Map<String, Object> json = ResultJson.toMap(logins);
        assertThat(ResultJson.fromMap(json)).isEqualTo(logins);
        @SuppressWarnings("unchecked")
        List<java.util.Map<String, Object>> slos = (List<java.util.Map<String, Object>>) json.get("slos");
        assertThat(slos).extracting(slo -> slo.get("verdict")).containsExactly("PASS", "INCONCLUSIVE");
        slos.forEach(slo -> slo.remove("verdict"));
        assertThat(ResultJson.fromMap(json).slos()).as("a file from before verdicts: passed or not")
                .extracting(SloOutcome::verdict).containsExactly(SloOutcome.Verdict.PASS, SloOutcome.Verdict.FAIL);
    }

    @Test
    void consoleReportShowsFiguresSlosAndErrors() {
        String report = ConsoleReport.render(READS);

        assertThat(report).isEqualTo("""

                == SecretsLoadTest.secretReads (closed model, 2 agents x 5,000 iterations, platform threads, seed 42)
                   10,000 invocations in 2.5 s: 3,996/s, 10 errors (0.1%)

                   scope      ops  errors  throughput    mean     min     p50      p90      p95      p99    p99.9    max
                   ------  ------  ------  ----------  ------  ------  ------  -------  -------  -------  -------  -----
                   method  10,000      10     3,996/s  3.2 ms  410 us  2.9 ms  5.38 ms  7.85 ms  12.3 ms  30.1 ms  48 ms

                   SLOs
                   result  requirement       measured  annotation
                   ------  ----------------  --------  -------------
                   PASS    p95 <= 50 ms       7.85 ms  @MaxP95
                   PASS    error rate <= 1%      0.1%  @MaxErrorRate

                   java.net.SocketTimeoutException x10: Read timed out (at com.example.Client.read(Client.java:42))
                """);
    }
}
