package io.secrethub.perf.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.report.Merge;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.report.ResultJson;
import io.secrethub.perf.testkit.FixtureRun;
import io.secrethub.perf.units.Durations;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;

/** Several generators, one result: {@code Merge} over the results of 4 JVMs that ran the same test. */
class MergeTest {

    static final String SLEEP_PROPERTY = "merge.workload.sleepMillis";
    static final String BARRIER_PROPERTY = "merge.workload.barrier";
    static final String GENERATOR_PROPERTY = "merge.workload.generator";
    private static final int GENERATORS = 4;

    @Test
    void fourGeneratorProcessesMergeIntoOneHistogramOfAllTheirValues() throws Exception {
        Path base = Path.of("target", "merge-test", ProcessHandle.current().pid() + "-" + System.nanoTime());
        List<Path> dirs = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        Files.createDirectories(base);
        for (int g = 0; g < GENERATORS; g++) {
            Path dir = base.resolve("gen-" + g);
            dirs.add(dir);
            // Each generator's calls take a different time (1 to 4 ms): averaging their percentiles would be wrong.
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), GeneratorProcess.class.getName(),
                    dir.toString(), "gen-" + g, "run-42", Integer.toString(g + 1), base.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(base.resolve("gen-" + g + ".log").toFile())
                    .start());
        }
        for (int g = 0; g < GENERATORS; g++) {
            assertThat(processes.get(g).waitFor(180, TimeUnit.SECONDS)).as("generator %d finished", g).isTrue();
            assertThat(processes.get(g).exitValue()).as(Files.readString(base.resolve("gen-" + g + ".log")))
                    .isZero();
        }

        Path out = base.resolve("merged");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = Merge.run(args(dirs, "--out", out.toString()),
                new PrintStream(console, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8));
        assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();

        LoadTestResult merged = ResultJson.read(ResultFiles.json(out, Workload.class.getName(), "work"));
        Histogram all = new Histogram(3);
        List<LoadTestResult> parts = new ArrayList<>();
        for (Path dir : dirs) {
            addUntagged(ResultFiles.hlog(dir, Workload.class.getName(), "work"), all);
            parts.add(ResultJson.read(ResultFiles.json(dir, Workload.class.getName(), "work")));
        }
        assertThat(merged.latency().count()).isEqualTo(all.getTotalCount())
                .isEqualTo(parts.stream().mapToLong(LoadTestResult::successCount).sum());
        assertThat(merged.latency().p50Nanos()).isEqualTo(all.getValueAtPercentile(50));
        assertThat(merged.latency().p95Nanos()).isEqualTo(all.getValueAtPercentile(95));
        assertThat(merged.latency().p99Nanos()).isEqualTo(all.getValueAtPercentile(99));
        assertThat(merged.latency().p999Nanos()).isEqualTo(all.getValueAtPercentile(99.9));
        assertThat(merged.latency().maxNanos()).isEqualTo(all.getMaxValue());
        assertThat(merged.latency().minNanos()).isEqualTo(all.getMinValue());

        // Throughput: every generator's successes inside the window all of them ran in, summed, per second of it.
        long overlapStart = parts.stream().mapToLong(p -> p.startedAt().toEpochMilli()).max().orElseThrow();
        long overlapEnd = parts.stream().mapToLong(p -> p.startedAt().toEpochMilli() + p.wallTime().toMillis())
                .min().orElseThrow();
        assertThat(overlapEnd - overlapStart).as("the generators ran at the same time").isGreaterThan(1_000);
        assertThat(merged.throughput()).as("4 generators at 100/s each").isBetween(4 * 100 * 0.85, 4 * 100 * 1.15);
        assertThat(merged.throughput()).as("a sum, not an average")
                .isGreaterThan(3 * parts.stream().mapToDouble(LoadTestResult::throughput).max().orElseThrow());

        // The SLO is judged on the merged figures; the run and the generators are named.
        SloOutcome p99 = merged.slos().stream().filter(slo -> slo.annotation().equals("@MaxP99")).findFirst()
                .orElseThrow();
        assertThat(p99.measured()).isEqualTo(Durations.format(all.getValueAtPercentile(99)));
        assertThat(merged.generator().runId()).isEqualTo("run-42");
        assertThat(merged.generator().generatorId()).isEqualTo("4 generators (gen-0, gen-1, gen-2, gen-3)");

        Histogram mergedLog = new Histogram(3);
        addUntagged(ResultFiles.hlog(out, Workload.class.getName(), "work"), mergedLog);
        assertThat(mergedLog).isEqualTo(all);
        assertThat(out.resolve("index.html")).content().contains("MergeTest.Workload.work",
                "4 generators (gen-0, gen-1, gen-2, gen-3)");
    }

    @Test
    void resultsOfDifferentRunsAreRefusedNamingTheFilesUnlessForced() {
        FixtureRun runA = FixtureRun.of(Quick.class).with("perf.run.id", "run-a");
        runA.execute();
        FixtureRun runB = FixtureRun.of(Quick.class).with("perf.run.id", "run-b");
        runB.execute();
        Path a = runA.resultsDir();
        Path b = runB.resultsDir();

        Outcome refused = merge(a, b, "--out", a.resolveSibling("merged-" + a.getFileName()).toString());
        assertThat(refused.status).isEqualTo(Merge.REFUSED);
        assertThat(refused.errors).contains("Merge refused: results of different runs (perf.run.id): run-a in ["
                + ResultFiles.json(a, Quick.class.getName(), "quick") + "]; run-b in ["
                + ResultFiles.json(b, Quick.class.getName(), "quick") + "] (--force merges them anyway)");

        Outcome forced = merge(a, b, "--out", a.resolveSibling("forced-" + a.getFileName()).toString(), "--force");
        assertThat(forced.status).as(forced.errors).isZero();
        assertThat(forced.errors).contains("Merging anyway (--force): results of different runs");
    }

    @Test
    void percentilesInconclusiveOnEachGeneratorAreJudgedOnTheMergedSamples() {
        List<Path> dirs = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            FixtureRun generator = FixtureRun.of(FewSamples.class).with("perf.run.id", "run-few");
            assertThat(generator.execute().result("few").slos()).as("20 samples of the 30 and 1,000 needed")
                    .extracting(SloOutcome::verdict).startsWith(SloOutcome.Verdict.INCONCLUSIVE,
                            SloOutcome.Verdict.INCONCLUSIVE);
            dirs.add(generator.resultsDir());
        }
        Path out = dirs.get(0).resolveSibling("merged-few-" + dirs.get(0).getFileName());

        Outcome merged = merge(dirs.get(0), dirs.get(1), "--out", out);
        assertThat(merged.status).as(merged.errors).isZero();
        LoadTestResult result = ResultJson.read(ResultFiles.json(out, FewSamples.class.getName(), "few"));
        assertThat(result.slos()).extracting(SloOutcome::metric, SloOutcome::verdict).containsExactly(
                tuple("p95", SloOutcome.Verdict.INCONCLUSIVE), tuple("p99", SloOutcome.Verdict.PASS),
                tuple("error rate", SloOutcome.Verdict.PASS));
        assertThat(result.slos().get(0).breach()).isEqualTo("p95 inconclusive: needs 1,000 samples, had 40 (@MaxP95)");

        // The java command's -Dperf.slo.inconclusive=fail makes the merge fail on it.
        String before = System.setProperty("perf.slo.inconclusive", "fail");
        try {
            Path strictOut = out.resolveSibling("strict-" + out.getFileName());
            Outcome strict = merge(dirs.get(0), dirs.get(1), "--out", strictOut);
            assertThat(strict.status).isEqualTo(Merge.FAILED);
        } finally {
            if (before == null) {
                System.clearProperty("perf.slo.inconclusive");
            } else {
                System.setProperty("perf.slo.inconclusive", before);
            }
        }
    }

    @Test
    void directoriesWithDifferentTestsAreRefused() {
        FixtureRun quick = FixtureRun.of(Quick.class).with("perf.run.id", "run-c");
        quick.execute();
        FixtureRun other = FixtureRun.of(Other.class).with("perf.run.id", "run-c");
        other.execute();

        Outcome refused = merge(quick.resultsDir(), other.resultsDir(), "--out",
                quick.resultsDir().resolveSibling("merged-c").toString());
        assertThat(refused.status).isEqualTo(Merge.REFUSED);
        assertThat(refused.errors).contains("different tests: " + Other.class.getName() + ".other is in ["
                + ResultFiles.json(other.resultsDir(), Other.class.getName(), "other") + "] but not in ["
                + quick.resultsDir() + "]");
    }

    @Test
    void aMissingOutputDirectoryIsAUsageError() {
        Outcome outcome = merge(Path.of("target"));
        assertThat(outcome.status).isEqualTo(Merge.REFUSED);
        assertThat(outcome.errors).startsWith("usage: Merge <results dir>... --out <dir>");
    }

    private record Outcome(int status, String errors) {
    }

    private static Outcome merge(Object... args) {
        List<String> texts = new ArrayList<>();
        for (Object arg : args) {
            texts.add(arg.toString());
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = Merge.run(texts.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), new PrintStream(errors, true, StandardCharsets.UTF_8));
        return new Outcome(status, errors.toString(StandardCharsets.UTF_8));
    }

    private static String[] args(List<Path> dirs, String... more) {
        List<String> all = new ArrayList<>();
        dirs.forEach(dir -> all.add(dir.toString()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void addUntagged(Path hlog, Histogram into) throws Exception {
        HistogramLogReader reader = new HistogramLogReader(new File(hlog.toString()));
        EncodableHistogram next;
        while ((next = reader.nextIntervalHistogram()) != null) {
            if (next.getTag() == null) {
                into.add((Histogram) next);
            }
        }
    }

    static class Workload {
        /**
         * A start barrier across the generator JVMs, as a real distributed run has (a scheduled start): on a loaded
         * machine the JVMs come up seconds apart. Set-up, so it is not measured.
         */
        @BeforeAgent
        void waitForAllGenerators() throws Exception {
            String barrier = System.getProperty(BARRIER_PROPERTY);
            if (barrier == null) {
                return;
            }
            Path dir = Path.of(barrier);
            Path ready = dir.resolve("ready-" + System.getProperty(GENERATOR_PROPERTY));
            if (!Files.exists(ready)) {
                Files.writeString(ready, "");
            }
            while (true) {
                try (var files = Files.list(dir)) {
                    if (files.filter(f -> f.getFileName().toString().startsWith("ready-")).count() >= GENERATORS) {
                        return;
                    }
                }
                Thread.sleep(5);
            }
        }

        @LoadTest(agents = 2, rate = 100, duration = "5s", timeout = "5m")
        @MaxP99("10s")
        void work() throws InterruptedException {
            Thread.sleep(Integer.getInteger(SLEEP_PROPERTY, 1));
        }
    }

    static class Quick {
        @LoadTest(agents = 1, iterations = 50)
        void quick() {
        }
    }

    static class FewSamples {
        @LoadTest(agents = 1, iterations = 20)
        @MaxP99(value = "1h", minSamples = 30)
        @MaxP95(value = "1h", minSamples = 1000)
        void few() {
        }
    }

    static class Other {
        @LoadTest(agents = 1, iterations = 50)
        void other() {
        }
    }
}
