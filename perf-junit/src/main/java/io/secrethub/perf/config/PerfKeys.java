package io.secrethub.perf.config;

import java.util.List;

/** The configuration parameter keys of perf-junit. */
public final class PerfKeys {

    /** Prefix of every key, and of the per-class forms {@code perf.<Class>.<attribute>}. */
    public static final String PREFIX = "perf.";

    /** Overrides {@code @LoadTest(agents)}. */
    public static final String AGENTS = "perf.agents";
    /** Overrides {@code @LoadTest(iterations)}. */
    public static final String ITERATIONS = "perf.iterations";
    /** Overrides {@code @LoadTest(duration)}; {@code 0} switches a duration-based test to iterations. */
    public static final String DURATION = "perf.duration";
    /** Overrides {@code @LoadTest(rate)}; {@code 0} switches to the closed model. */
    public static final String RATE = "perf.rate";
    /** Overrides {@code @LoadTest(warmup)}. */
    public static final String WARMUP = "perf.warmup";
    /** Overrides {@code @LoadTest(rampUp)}. */
    public static final String RAMP_UP = "perf.rampUp";
    /** Overrides {@code @LoadTest(timeout)}; {@code 0} removes the bound. */
    public static final String TIMEOUT = "perf.timeout";

    /**
     * Multiplies iterations (at least 1 remains), durations, and, when above 1, timeouts: {@code 0.1} for a quick
     * CI run, {@code 10} for a soak. Default 1.
     */
    public static final String SCALE = "perf.scale";
    /** Seed of the agents' random generators; default: a random seed per JVM, printed with each result. */
    public static final String SEED = "perf.seed";
    /** {@code virtual}, {@code platform} or {@code auto} (the default: virtual when the runtime has them). */
    public static final String THREADS = "perf.threads";
    /** Where reports are written; default {@value #DEFAULT_RESULTS_DIR}. */
    public static final String RESULTS_DIR = "perf.results.dir";
    /** How often a long run prints a progress line; default {@value #DEFAULT_PROGRESS_INTERVAL}. */
    public static final String PROGRESS_INTERVAL = "perf.progress.interval";
    /** {@code false} silences the console tables and progress lines; default true. */
    public static final String REPORT_CONSOLE = "perf.report.console";
    /** A baseline JSON file to compare each method with; default none. */
    public static final String BASELINE = "perf.baseline";
    /** Allowed regression against the baseline in percent ({@code 20} or {@code 20%}); default 20. */
    public static final String BASELINE_TOLERANCE = "perf.baseline.tolerance";
    /** {@code true} records this run into the baseline file instead of comparing; default false. */
    public static final String BASELINE_WRITE = "perf.baseline.write";

    /** {@code off} (default), {@code gc} (GC and allocation counters) or {@code jfr} (a JFR recording). */
    public static final String PROFILE = "perf.profile";

    /**
     * {@code true}: probe the host's CPU and disk before and after each load test, so a figure the machine moved
     * says so ({@code false} by default; about 0.8 s per test).
     */
    public static final String HOST_PROBE = "perf.hostProbe";

    /** The id of a run spread over several generators; the same on each. Default: one per JVM. */
    public static final String RUN_ID = "perf.run.id";
    /** This generator's id among those of one run. Default: host name and process id. */
    public static final String GENERATOR_ID = "perf.generator.id";
    /** {@code true} fails a test whose load generator was the bottleneck; default false (the reports say so). */
    public static final String GENERATOR_STRICT = "perf.generator.strict";
    /** How far behind schedule an open-model run may fall, in % of its wall time ({@code 10%}, the default). */
    public static final String GENERATOR_MAX_LAG = "perf.generator.maxLag";
    /** The JVM's CPU use, in % of its processors, above which the generator is saturated ({@code 90%}). */
    public static final String GENERATOR_MAX_CPU = "perf.generator.maxCpu";

    /**
     * The fewest successful operations a percentile SLO ({@code @MaxP50}, {@code @MaxP95}, {@code @MaxP99},
     * {@code @MaxPercentile}) needs to be judged, for those that set no {@code minSamples} of their own; in each
     * window for windowed ones. Default 0: every percentile is judged, however few samples it rests on.
     */
    public static final String SLO_MIN_SAMPLES = "perf.slo.minSamples";
    /**
     * What an SLO with too few samples does to its test: {@code report} (the default: reported as
     * {@code INCONCLUSIVE}, the test does not fail on it) or {@code fail} (it fails the test, as a breach would).
     */
    public static final String SLO_INCONCLUSIVE = "perf.slo.inconclusive";

    /** Default of {@link #GENERATOR_MAX_LAG}, in percent. */
    public static final double DEFAULT_GENERATOR_MAX_LAG = 10;
    /** Default of {@link #GENERATOR_MAX_CPU}, in percent. */
    public static final double DEFAULT_GENERATOR_MAX_CPU = 90;
    /** Default of {@link #RESULTS_DIR}, relative to the working directory (the module's, under Maven). */
    public static final String DEFAULT_RESULTS_DIR = "target/perf-results";
    /** Default of {@link #PROGRESS_INTERVAL}. */
    public static final String DEFAULT_PROGRESS_INTERVAL = "5s";
    /** Default of {@link #BASELINE_TOLERANCE}, in percent. */
    public static final double DEFAULT_BASELINE_TOLERANCE = 20;

    /** The {@code @LoadTest} attributes that configuration can override, by their annotation names. */
    public static final List<String> LOAD_TEST_ATTRIBUTES =
            List.of("agents", "iterations", "duration", "rate", "warmup", "rampUp", "timeout");

    private PerfKeys() {
    }
}
