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

        assertThat(totalCountProcessed(run, "processed")).isEqualTo(result.successCount());
    }

    @Test
    void anOperationIsReadWithItsTag() throws Exception {
        FixtureRun run = FixtureRun.of(Sleeper.class);
        LoadTestResult result = run.execute().result("sleeps");

        assertThat(totalCountProcessed(run, "processed-nap", "-tag", "op.nap"))
                .isEqualTo(result.operation("nap").orElseThrow().successes());
    }

    /**
     * Runs {@code java -cp HdrHistogram.jar org.HdrHistogram.HistogramLogProcessor -i <hlog> [options] -o <out>}
     * and returns the total count of the percentile distribution it writes to {@code <out>.hgrm}.
     */
    private static long totalCountProcessed(FixtureRun run, String out, String... options) throws Exception {
        Path hlog = ResultFiles.hlog(run.resultsDir(), Sleeper.class.getName(), "sleeps");
        Path output = run.resultsDir().resolve(out);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String hdrJar = Path.of(Histogram.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", hdrJar, "org.HdrHistogram.HistogramLogProcessor",
                "-i", hlog.toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-o", output.toString()));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stderr).doesNotContain("Exception");
        assertThat(process.exitValue()).isZero();
        String percentiles = Files.readString(Path.of(output + ".hgrm"));
        Matcher total = TOTAL_COUNT.matcher(percentiles);
        assertThat(total.find()).as("a percentile distribution in %s", percentiles).isTrue();
        return Long.parseLong(total.group(1));
    }

    static class Sleeper {
        @LoadTest(agents = 2, iterations = 50)
        void sleeps(io.secrethub.perf.Agent agent) throws Exception {
            agent.time("nap", () -> LockSupport.parkNanos(100_000));
        }
    }
}
