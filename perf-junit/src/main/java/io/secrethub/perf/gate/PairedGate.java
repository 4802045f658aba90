package io.secrethub.perf.gate;

import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.gate.PairedComparison.Metric;
import io.secrethub.perf.gate.PairedComparison.Sample;
import io.secrethub.perf.report.ResultFiles;
import io.secrethub.perf.report.ResultJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The pull-request performance gate, paired: base and head each run in a JVM of their own that stays up for the
 * whole gate (a {@link GateWorker}), and they take turns running the selected load tests, round after round, in
 * ABBA order (base head, head base, ...). Each figure of head is compared with base's in the same round, and a
 * figure regressed only when the median of those paired changes is beyond the tolerance ({@link PairedComparison}).
 *
 * <p>Why not two separate runs: on a shared machine one run of a load test can be a third slower than the next one
 * of the same code, everywhere at once, and the JIT is still speeding a test up twenty seconds in. Two JVMs that
 * alternate every few seconds see the same machine and are equally warm, so those effects cancel. What does not
 * cancel is the JVM itself (see {@link #runFork}), hence several pairs.
 *
 * <pre>
 * java -cp HEAD_TEST_CLASSPATH io.secrethub.perf.gate.PairedGate \
 *     --base-classpath @base.cp --head-classpath @head.cp --select com.example.CheckoutLoadTest [options]
 * </pre>
 * <ul>
 *   <li>{@code --base-classpath}, {@code --head-classpath} (required): each side's test class path, as is or as
 *       {@code @file};</li>
 *   <li>{@code --select} (required, repeatable or comma-separated): test classes, or {@code Class#method};</li>
 *   <li>{@code --forks 2}: pairs of JVMs, started base first, then head first, and so on, so keep it even (an odd
 *       count is run, with a note that base starts first in one pair more);</li>
 *   <li>{@code --warmup-rounds 1}, {@code --rounds 3}: per pair, unmeasured rounds, then measured ones;</li>
 *   <li>{@code --tolerance 15}: percent the median paired change may go the wrong way;</li>
 *   <li>{@code --metrics throughput}: any of {@code throughput, p50, p95, p99, mean}. In a closed-model test the
 *       latency follows from the throughput (Little's law) with more noise; an open-model test's throughput is its
 *       schedule, so gate its latency;</li>
 *   <li>{@code --param k=v}, {@code --base-param k=v}, {@code --head-param k=v} (repeatable): JUnit configuration
 *       parameters for both sides, or one, e.g. {@code perf.duration=2s};</li>
 *   <li>{@code --warmup-param k=v} (repeatable): overrides for the warm-up rounds, e.g. longer phases;</li>
 *   <li>{@code --jvm-arg ARG} (repeatable): for both sides' JVMs;</li>
 *   <li>{@code --out target/paired-gate}: each side's logs and reports per pair and round, and {@code verdict.txt}.
 *   </li>
 * </ul>
 * Exit status: 0 no figure regressed, 1 a regression (each one named), 2 the gate could not measure (bad
 * arguments, a worker that died, a round without results).
 */
public final class PairedGate {

    static final int EXIT_PASS = 0;
    static final int EXIT_REGRESSION = 1;
    static final int EXIT_ERROR = 2;

    /** What the command line asked for. */
    record Options(String baseClasspath, String headClasspath, List<String> selectors, int rounds,
            int warmupRounds, double tolerancePercent, List<Metric> metrics, Map<String, String> params,
            Map<String, String> baseParams, Map<String, String> headParams, Map<String, String> warmupParams,
            int forks, List<String> jvmArgs, Path out) {

        static Options parse(String... args) {
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (!KNOWN.contains(name)) {
                    throw new IllegalArgumentException("unknown option '" + name + "': expected one of " + KNOWN);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
            }
            List<String> selectors = new ArrayList<>();
            values.getOrDefault("--select", List.of()).forEach(s -> selectors.addAll(Arrays.asList(s.split(","))));
            if (selectors.isEmpty()) {
                throw new IllegalArgumentException("--select names no test class: give at least one");
            }
            List<Metric> metrics = Arrays.stream(single(values, "--metrics", "throughput").split(","))
                    .map(Metric::of).toList();
            int rounds = positive(values, "--rounds", "3", 1);
            int warmup = positive(values, "--warmup-rounds", "1", 0);
            double tolerance = number(values, "--tolerance", "15");
            return new Options(classpath(values, "--base-classpath"), classpath(values, "--head-classpath"),
                    List.copyOf(selectors), rounds, warmup, tolerance, metrics, pairs(values, "--param"),
                    pairs(values, "--base-param"), pairs(values, "--head-param"), pairs(values, "--warmup-param"),
                    positive(values, "--forks", "2", 1), values.getOrDefault("--jvm-arg", List.of()),
                    Path.of(single(values, "--out", "target/paired-gate")));
        }

        private static final List<String> KNOWN = List.of("--base-classpath", "--head-classpath", "--select",
                "--rounds", "--warmup-rounds", "--tolerance", "--metrics", "--param", "--base-param",
                "--head-param", "--warmup-param", "--forks", "--jvm-arg", "--out");

        private static String single(Map<String, List<String>> values, String name, String fallback) {
            List<String> given = values.getOrDefault(name, List.of());
            if (given.size() > 1) {
                throw new IllegalArgumentException(name + " was given " + given.size() + " times; give it once");
            }
            return given.isEmpty() ? fallback : given.get(0);
        }

        private static int positive(Map<String, List<String>> values, String name, String fallback, int min) {
            String text = single(values, name, fallback);
            try {
                int value = Integer.parseInt(text);
                if (value >= min) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number >= " + min + ", was '" + text + "'");
        }

        private static double number(Map<String, List<String>> values, String name, String fallback) {
            String text = single(values, name, fallback);
            try {
                double value = Double.parseDouble(text);
                if (value >= 0 && Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a percentage >= 0, was '" + text + "'");
        }

        private static String classpath(Map<String, List<String>> values, String name) {
            String value = single(values, name, "");
            if (value.isEmpty()) {
                throw new IllegalArgumentException(name + " is required");
            }
            if (!value.startsWith("@")) {
                return value;
            }
            Path file = Path.of(value.substring(1));
            try {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(name + ": cannot read " + file + ": " + e.getMessage(), e);
            }
        }

        private static Map<String, String> pairs(Map<String, List<String>> values, String name) {
            Map<String, String> pairs = new LinkedHashMap<>();
            for (String pair : values.getOrDefault(name, List.of())) {
                int equals = pair.indexOf('=');
                if (equals <= 0 || pair.contains("\t")) {
                    throw new IllegalArgumentException(name + " expects key=value, got '" + pair + "'");
                }
                pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            return pairs;
        }
    }

    private final Options options;
    private final PrintStream console;

    PairedGate(Options options, PrintStream console) {
        this.options = options;
        this.console = console;
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("gate: " + e.getMessage());
            System.exit(EXIT_ERROR);
            return;
        }
        System.exit(new PairedGate(options, System.out).run());
    }

    /** Runs the gate and returns its exit status. */
    int run() {
        try {
            Files.createDirectories(options.out());
        } catch (IOException e) {
            console.println("gate: cannot create " + options.out() + ": " + e.getMessage());
            return EXIT_ERROR;
        }
        console.printf(Locale.ROOT, "gate: %s in %d pair(s) of JVMs, each %d warm-up round(s) then %d paired"
                + " rounds in ABBA order; tolerance %s%% on the median paired change of %s; logs and results in"
                + " %s%n", options.selectors(), options.forks(), options.warmupRounds(), options.rounds(),
                options.tolerancePercent(), options.metrics().stream().map(Metric::label).toList(), options.out());
        startOrderNote(options.forks()).ifPresent(console::println);
        List<Sample> base = new ArrayList<>();
        List<Sample> head = new ArrayList<>();
        try {
            for (int fork = 1; fork <= options.forks(); fork++) {
                runFork(fork, base, head);
            }
        } catch (GateException e) {
            console.println("gate: could not measure: " + e.getMessage());
            return EXIT_ERROR;
        }
        return verdict(PairedComparison.of(base, head, options.tolerancePercent()));
    }

    /**
     * One pair of JVMs: warm-up rounds, then measured rounds. On a 2-core machine the JVM started first ran faster
     * (reads: about 5% on average over 20 gates of unchanged code), so the gate measures several pairs, started in
     * alternating order, as JMH measures several forks; a JVM's own steady state averages out over them too.
     */
    private void runFork(int fork, List<Sample> base, List<Sample> head) {
        boolean baseFirst = fork % 2 == 1;
        try (Worker first = Worker.start(baseFirst ? "base" : "head", fork, options);
             Worker second = Worker.start(baseFirst ? "head" : "base", fork, options)) {
            Worker baseWorker = baseFirst ? first : second;
            Worker headWorker = baseFirst ? second : first;
            int total = options.warmupRounds() + options.rounds();
            for (int round = 1; round <= total; round++) {
                boolean warmup = round <= options.warmupRounds();
                int measured = round - options.warmupRounds();
                // Rounds are numbered across forks, so each pair of samples is one round of one pair of JVMs.
                int sample = (fork - 1) * options.rounds() + measured;
                String name = "fork-" + fork + "/" + (warmup ? "warmup-" + round : "round-" + measured);
                List<Worker> order = baseRunsFirst(fork, warmup ? round : measured)
                        ? List.of(baseWorker, headWorker) : List.of(headWorker, baseWorker);
                StringBuilder progress = new StringBuilder(String.format(Locale.ROOT,
                        "gate: JVM pair %d/%d, %s %d/%d:", fork, options.forks(), warmup ? "warm-up round" : "round",
                        warmup ? round : measured, warmup ? options.warmupRounds() : options.rounds()));
                for (Worker worker : order) {
                    Map<String, String> params = new LinkedHashMap<>(
                            worker == baseWorker ? options.baseParams() : options.headParams());
                    if (warmup) {
                        params.putAll(options.warmupParams());
                    }
                    long started = System.nanoTime();
                    Path results = options.out().resolve(worker.side).resolve(name);
                    String outcome = worker.run(options.selectors(), results, params);
                    progress.append(String.format(Locale.ROOT, " %s %.1f s%s", worker.side,
                            (System.nanoTime() - started) / 1e9, outcome));
                    if (!warmup) {
                        List<Sample> samples = samples(results, sample, options.metrics());
                        if (samples.isEmpty()) {
                            throw new GateException(worker.side + " wrote no load-test result in " + name
                                    + " (see " + worker.log + ")");
                        }
                        (worker == baseWorker ? base : head).addAll(samples);
                    }
                }
                console.println(progress);
            }
        }
    }

    /**
     * A note for an odd number of pairs above one: pairs alternate which JVM is started first, and the JVM started
     * first ran faster on a 2-core machine, so with an odd count base gets that edge in one pair more than head.
     */
    static Optional<String> startOrderNote(int forks) {
        return forks > 1 && forks % 2 == 1
                ? Optional.of(String.format(Locale.ROOT, "gate: note: with %d pairs of JVMs base is started first in"
                        + " %d and head in %d; an even number of pairs balances the start order", forks,
                        (forks + 1) / 2, forks / 2))
                : Optional.empty();
    }

    /**
     * Whether base runs first in round {@code round} (counted from 1 among the measured rounds, or among the
     * warm-up rounds) of pair {@code fork}: ABBA, so a trend in the machine's load favours neither side, and each
     * pair starts with the side the previous pair started second, so that over the gate each side runs first in
     * as many measured rounds as the other (with an odd number of rounds per pair, over each two pairs). Until
     * 2026-12-04 the order counted the warm-up round too, so with the defaults (one warm-up round, three measured)
     * head ran first in 4 of every 6 measured rounds.
     */
    static boolean baseRunsFirst(int fork, int round) {
        return (fork + round) % 2 == 0;
    }

    private int verdict(PairedComparison comparison) {
        List<String> lines = comparison.rows().stream().map(PairedComparison.Row::line).toList();
        lines.forEach(console::println);
        try {
            Files.write(options.out().resolve("verdict.txt"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            console.println("gate: cannot write the verdict file: " + e.getMessage());
        }
        if (comparison.rows().isEmpty()) {
            console.println("gate: could not measure: base and head have no figure in common");
            return EXIT_ERROR;
        }
        List<PairedComparison.Row> regressions = comparison.regressions();
        if (regressions.isEmpty()) {
            console.printf(Locale.ROOT, "gate: PASS, no median paired change beyond %s%% in %d rounds (%d pair(s)"
                    + " of JVMs x %d)%n", options.tolerancePercent(), options.forks() * options.rounds(),
                    options.forks(), options.rounds());
            return EXIT_PASS;
        }
        console.printf(Locale.ROOT, "gate: FAIL, %d figure(s) regressed beyond %s%%:%n", regressions.size(),
                options.tolerancePercent());
        regressions.forEach(row -> console.printf(Locale.ROOT, "  %s %s %+.1f%%%n", row.figure(),
                row.metric().label(), row.medianChange()));
        return EXIT_REGRESSION;
    }

    /** The figures of every result file in {@code directory}: each method, and each named operation in it. */
    static List<Sample> samples(Path directory, int round, List<Metric> metrics) {
        List<Sample> samples = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return samples;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".json") || name.equals(ResultFiles.RUN_JSON)) {
                    continue;
                }
                LoadTestResult result = ResultJson.read(file);
                String figure = result.name();
                add(samples, figure, result.total(), round, metrics);
                for (OperationStats operation : result.operations()) {
                    add(samples, figure + " " + operation.name(), operation, round, metrics);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return samples;
    }

    private static void add(List<Sample> samples, String figure, OperationStats stats, int round,
            List<Metric> metrics) {
        if (stats.successes() == 0) {
            return;
        }
        for (Metric metric : metrics) {
            double value = switch (metric) {
                case THROUGHPUT -> stats.throughput();
                case P50 -> stats.latency().p50Nanos();
                case P95 -> stats.latency().p95Nanos();
                case P99 -> stats.latency().p99Nanos();
                case MEAN -> stats.latency().meanNanos();
            };
            samples.add(new Sample(figure, metric, round, value));
        }
    }

    /** The gate cannot go on; the message says why and where to look. */
    static final class GateException extends RuntimeException {
        GateException(String message) {
            super(message);
        }
    }

    /** One side's {@link GateWorker} process. */
    static final class Worker implements AutoCloseable {
        final String side;
        final Path log;
        private final Process process;
        private final BufferedReader answers;
        private final PrintStream requests;
        private final Map<String, String> params;

        private Worker(String side, Path log, Process process, Map<String, String> params) {
            this.side = side;
            this.log = log;
            this.process = process;
            this.params = params;
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            this.requests = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Worker start(String side, int fork, Options options) {
            String classpath = side.equals("base") ? options.baseClasspath() : options.headClasspath();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options.jvmArgs());
            command.addAll(List.of("-cp", classpath, GateWorker.class.getName()));
            Path log = options.out().resolve(side + "-fork-" + fork + ".log");
            try {
                Process process = new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                        .start();
                Worker worker = new Worker(side, log, process, options.params());
                worker.expect(GateWorker.READY);
                return worker;
            } catch (IOException e) {
                throw new GateException("cannot start the " + side + " worker: " + e.getMessage());
            }
        }

        /** Runs {@code selectors} once with its reports in {@code results}; returns a note when a test failed. */
        String run(List<String> selectors, Path results, Map<String, String> sideParams) {
            StringBuilder request = new StringBuilder(GateWorker.RUN).append('\t')
                    .append(String.join(",", selectors));
            Map<String, String> all = new LinkedHashMap<>(params);
            all.putAll(sideParams);
            all.put("perf.results.dir", results.toAbsolutePath().toString());
            all.forEach((key, value) -> request.append('\t').append(key).append('=').append(value));
            requests.println(request);
            String[] done = expect(GateWorker.DONE).split(" ");
            long failed = Long.parseLong(done[2]) + Long.parseLong(done[3]);
            // A breached SLO does not stop the gate: the figures are what it compares, and the suite's own run
            // reports the breach.
            return failed == 0 ? "" : " (" + failed + " test(s) failed, see " + log + ")";
        }

        private String expect(String word) {
            String line;
            try {
                line = answers.readLine();
            } catch (IOException e) {
                throw new GateException("lost the " + side + " worker: " + e.getMessage() + " (see " + log + ")");
            }
            if (line == null) {
                throw new GateException("the " + side + " worker exited (see " + log + ")");
            }
            if (!line.startsWith(word)) {
                throw new GateException(side + ": " + line + " (see " + log + ")");
            }
            return line;
        }

        @Override
        public void close() {
            requests.close();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
