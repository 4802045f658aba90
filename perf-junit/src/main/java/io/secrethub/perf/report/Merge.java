package io.secrethub.perf.report;

import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.baseline.BaselineCheck;
import io.secrethub.perf.config.ConfigurationSource;
import io.secrethub.perf.config.PerfConfigurationException;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.config.RunOptions;
import io.secrethub.perf.engine.ResultMerger;
import io.secrethub.perf.slo.Slo;
import io.secrethub.perf.slo.SloAnnotations;
import io.secrethub.perf.slo.SloEvaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Merges the results of one run spread over several load generators (the same tests from N JVMs: a CI matrix, a
 * Kubernetes indexed Job) into one result per test and one report, with the SLOs and the baseline evaluated on
 * the merged figures.
 *
 * <pre>
 * java -cp perf-junit.jar:HdrHistogram.jar:jackson-jr-objects.jar:jackson-core.jar[:test classes] \
 *     io.secrethub.perf.report.Merge gen-0/ gen-1/ gen-2/ gen-3/ --out merged/ [--force]
 *     [--baseline baseline.json [--tolerance 20%]]
 * </pre>
 *
 * <p>Each directory is one generator's {@code perf.results.dir}. Results of different {@code perf.run.id}s, or
 * directories that do not hold the same tests, are refused (naming the files) unless {@code --force}. With the test
 * classes on the class path the SLO annotations are evaluated again on the merged figures; without them the
 * generators' own SLO outcomes are kept and the tool says so. The SLO settings {@code perf.slo.minSamples} and
 * {@code perf.slo.inconclusive} are read from the JVM's system properties ({@code java -Dperf.slo.minSamples=1000
 * …}); the merged figures hold every generator's samples, so a percentile inconclusive on each may be judged here.
 * Exit status: 0 merged and passed, 1 an SLO or the baseline failed, 2 refused or misused.
 */
public final class Merge {

    /** Exit status when an SLO or the baseline failed on the merged figures. */
    public static final int FAILED = 1;
    /** Exit status when the inputs were refused or the command line is wrong. */
    public static final int REFUSED = 2;

    private static final String USAGE = "usage: Merge <results dir>... --out <dir> [--force]"
            + " [--baseline <file> [--tolerance <percent>]]";

    private Merge() {
    }

    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the tool; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> inputs = new ArrayList<>();
        Path outDir = null;
        boolean force = false;
        Map<String, String> baseline = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> outDir = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--force" -> force = true;
                case "--baseline" -> baseline.put(PerfKeys.BASELINE, i + 1 < args.length ? args[++i] : "");
                case "--tolerance" -> baseline.put(PerfKeys.BASELINE_TOLERANCE, i + 1 < args.length ? args[++i] : "");
                default -> {
                    if (args[i].startsWith("--")) {
                        err.println("unknown option " + args[i] + "\n" + USAGE);
                        return REFUSED;
                    }
                    inputs.add(Path.of(args[i]));
                }
            }
        }
        if (outDir == null || inputs.isEmpty()) {
            err.println(USAGE);
            return REFUSED;
        }
        // The SLO settings are the JVM's (java -Dperf.slo.minSamples=1000 … Merge …), as the generators had them.
        for (String key : List.of(PerfKeys.SLO_MIN_SAMPLES, PerfKeys.SLO_INCONCLUSIVE)) {
            String value = System.getProperty(key);
            if (value != null) {
                baseline.put(key, value);
            }
        }
        try {
            RunOptions options = RunOptions.from(ConfigurationSource.of(baseline));
            return merge(inputs, outDir, force, options, out, err);
        } catch (Refused refused) {
            err.println("Merge refused: " + refused.getMessage());
            return REFUSED;
        } catch (PerfConfigurationException | IllegalArgumentException | UncheckedIOException bad) {
            err.println("Merge failed: " + bad.getMessage());
            return REFUSED;
        }
    }

    private static int merge(List<Path> inputs, Path outDir, boolean force, RunOptions options, PrintStream out,
            PrintStream err) {
        // test key -> (input dir -> that dir's result file)
        Map<String, Map<Path, Path>> byTest = new TreeMap<>();
        Map<Path, LoadTestResult> results = new LinkedHashMap<>();
        for (Path input : inputs) {
            List<Path> files = resultFiles(input);
            if (files.isEmpty()) {
                throw new Refused(input + " holds no load-test results (*.json)");
            }
            for (Path file : files) {
                LoadTestResult result = ResultJson.read(file);
                results.put(file, result);
                byTest.computeIfAbsent(result.testClass() + "#" + result.method(), key -> new LinkedHashMap<>())
                        .put(input, file);
            }
        }
        List<String> problems = new ArrayList<>();
        Map<String, List<Path>> byRun = new TreeMap<>();
        results.forEach((file, result) -> byRun.computeIfAbsent(result.generator().runId().isEmpty() ? "(none)"
                : result.generator().runId(), key -> new ArrayList<>()).add(file));
        if (byRun.size() > 1) {
            problems.add("results of different runs (perf.run.id): " + byRun.entrySet().stream()
                    .map(entry -> entry.getKey() + " in " + entry.getValue()).collect(Collectors.joining("; ")));
        }
        byTest.forEach((test, files) -> {
            List<Path> missing = inputs.stream().filter(input -> !files.containsKey(input)).toList();
            if (!missing.isEmpty()) {
                problems.add("different tests: " + test.replace('#', '.') + " is in " + files.values()
                        + " but not in " + missing);
            }
        });
        if (!problems.isEmpty()) {
            if (!force) {
                throw new Refused(String.join("; ", problems) + " (--force merges them anyway)");
            }
            problems.forEach(problem -> err.println("Merging anyway (--force): " + problem));
        }

        List<SuiteEntry> entries = new ArrayList<>();
        int status = 0;
        for (Map<Path, Path> files : byTest.values()) {
            List<ResultMerger.Part> parts = new ArrayList<>();
            for (Path json : files.values()) {
                Path hlog = json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".hlog"));
                if (!Files.isRegularFile(hlog)) {
                    throw new Refused("no interval log " + hlog + " beside " + json);
                }
                parts.add(new ResultMerger.Part(results.get(json), hlog));
            }
            LoadTestResult first = parts.get(0).result();
            List<Slo> slos = slos(first, options.slo().minSamples(), err);
            LoadTestResult merged = ResultMerger.merge(parts, slos, options.slo().inconclusiveFails());
            ResultJson.write(merged, ResultFiles.json(outDir, merged.testClass(), merged.method()));
            ResultMerger.writeLog(parts, ResultFiles.hlog(outDir, merged.testClass(), merged.method()),
                    merged.startedAt(), merged.name() + " merged from " + parts.size() + " generators of run "
                            + merged.generator().runId() + "; values in nanoseconds");
            List<String> failures = new ArrayList<>();
            String breaches = SloEvaluator.failureMessage(merged.method(), merged.slos());
            if (!breaches.isEmpty()) {
                failures.add(breaches);
            }
            BaselineCheck.apply(merged, options, out::println)
                    .forEach(failure -> failures.add(merged.method() + ": " + failure));
            out.print(ConsoleReport.render(merged));
            SuiteEntry.Status verdict = failures.isEmpty() ? SuiteEntry.Status.PASS : SuiteEntry.Status.FAIL;
            status = failures.isEmpty() ? status : FAILED;
            entries.add(new SuiteEntry(merged, verdict, String.join("; ", failures)));
        }
        Instant started = entries.stream().map(entry -> entry.result().startedAt()).min(Instant::compareTo)
                .orElseThrow();
        Instant finished = entries.stream().map(entry -> entry.result().startedAt().plus(entry.result().wallTime()))
                .max(Instant::compareTo).orElseThrow();
        out.print(SuiteTable.render(entries));
        RunJson.write(outDir.resolve(ResultFiles.RUN_JSON), started, finished, entries);
        SummaryFile.write(outDir.resolve(ResultFiles.SUMMARY), SummaryMarkdown.render(entries));
        SummaryFile.write(outDir.resolve(ResultFiles.HTML), HtmlReport.render(entries, started, finished,
                MachineInfo.current(), BaselineComparisons.forRun(options)));
        out.println("Merged " + results.size() + " results from " + inputs.size() + " directories into " + outDir);
        return status;
    }

    /** The result files of one generator's results directory (not {@code run.json} or other JSON). */
    private static List<Path> resultFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new Refused(directory + " is not a directory");
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().equals(ResultFiles.RUN_JSON))
                    .filter(file -> ResultJson.readJson(file).containsKey("wallTimeNanos"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + directory, e);
        }
    }

    /** The test's SLO annotations when its class is on the class path; {@code null} otherwise. */
    private static List<Slo> slos(LoadTestResult result, long defaultMinSamples, PrintStream err) {
        try {
            Class<?> type = Class.forName(result.testClass(), false, Thread.currentThread().getContextClassLoader());
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Method method : c.getDeclaredMethods()) {
                    if (method.getName().equals(result.method()) && method.isAnnotationPresent(LoadTest.class)) {
                        return SloAnnotations.read(method, result.name() + "()", defaultMinSamples);
                    }
                }
            }
        } catch (ClassNotFoundException | LinkageError notThere) {
            // said below
        }
        err.println("Note: " + result.testClass() + " is not on the class path: the SLOs of " + result.name()
                + " are the generators' own, not evaluated on the merged figures");
        return null;
    }

    /** Inputs that must not be merged. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }
}
