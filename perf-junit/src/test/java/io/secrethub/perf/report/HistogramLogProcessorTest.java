package io.secrethub.perf.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.testkit.FixtureRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The README's how-to, run as a user runs it: {@code java -cp HdrHistogram.jar
 * org.HdrHistogram.HistogramLogProcessor -i <file>.hlog} in a process of its own, on a file a load test wrote.
 */
class HistogramLogProcessorTest {

    private static final Pattern TOTAL_COUNT = Pattern.compile("Total count\\s*=\\s*(\\d+)");

    @Test
    void thePlainCommandReadsTheWholeMethodsLatency() throws Exception {
        FixtureRun run = FixtureRun.of(Sleeper.class);
        LoadTestResult result = run.execute().result("sleeps");
        Path hlog = ResultFiles.hlog(run.resultsDir(), Sleeper.class.getName(), "sleeps");
        Path out = run.resultsDir().resolve("processed");

        Process process = processor("-i", hlog.toString(), "-o", out.toString());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stderr).doesNotContain("Exception");
        assertThat(process.exitValue()).isZero();
        String percentiles = Files.readString(Path.of(out + ".hgrm"));
        Matcher total = TOTAL_COUNT.matcher(percentiles);
        assertThat(total.find()).as("a percentile distribution in %s", percentiles).isTrue();
        assertThat(Long.parseLong(total.group(1))).isEqualTo(result.successCount());
    }

    @Test
    void anOperationIsReadWithItsTag() throws Exception {
        FixtureRun run = FixtureRun.of(Sleeper.class);
        LoadTestResult result = run.execute().result("sleeps");
        Path hlog = ResultFiles.hlog(run.resultsDir(), Sleeper.class.getName(), "sleeps");
        Path out = run.resultsDir().resolve("processed-nap");

        Process process = processor("-i", hlog.toString(), "-tag", "op.nap", "-o", out.toString());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        Matcher total = TOTAL_COUNT.matcher(Files.readString(Path.of(out + ".hgrm")));
        assertThat(total.find()).isTrue();
        assertThat(Long.parseLong(total.group(1))).isEqualTo(result.operation("nap").orElseThrow().successes());
    }

    private static Process processor(String... arguments) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String hdrJar = Path.of(Histogram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", hdrJar, "org.HdrHistogram.HistogramLogProcessor"));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    static class Sleeper {
        @LoadTest(agents = 2, iterations = 50)
        void sleeps(io.secrethub.perf.Agent agent) throws Exception {
            agent.time("nap", () -> LockSupport.parkNanos(100_000));
        }
    }
}
