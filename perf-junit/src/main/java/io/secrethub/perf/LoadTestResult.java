package io.secrethub.perf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The immutable outcome of one {@link LoadTest} method. Warm-up is excluded from every figure.
 *
 * <p>Declare it as a parameter of an {@code @AfterEach} method to check it in code, for instance with
 * {@link PerfAssertions#assertThat(LoadTestResult)}; it is also written to {@code <class>.<method>.json} under
 * {@code perf.results.dir}.
 *
 * @param testClass the test class's fully qualified name
 * @param method the test method's name
 * @param settings the settings the run used
 * @param startedAt when the measured part started
 * @param wallTime the measured part's wall time, from the agents' common start to the last one's end
 * @param total the whole method's figures
 * @param serviceTime in the open model, latency from each invocation's actual start (without the wait for a
 *     free agent); in the closed model the same as {@code total().latency()}
 * @param operations the figures of each operation recorded with {@link Agent#time(String, ThrowingSupplier)},
 *     by name
 * @param maxScheduleLag in the open model, how far behind schedule the latest arrival started; otherwise zero
 * @param slos the outcome of every SLO annotation, in declaration order (pass, fail, or inconclusive)
 * @param timelines the whole method's figures over time (operation {@code ""}) first, then each named operation's,
 *     by name; empty for results read from files written before timelines existed
 * @param profile what {@code perf.profile} recorded; {@link ProfileSummary#OFF} when nothing
 * @param generator the load generator's own CPU use and schedule, and the run's and generator's ids
 * @param warmup how a {@code warmup = "steady"} warm-up ended; {@link WarmupOutcome#FIXED} otherwise
 * @param host the host's speed before and after the test ({@code perf.hostProbe}); {@link HostConditions#NONE}
 *     when not probed
 */
public record LoadTestResult(
        String testClass,
        String method,
        LoadSettings settings,
        Instant startedAt,
        Duration wallTime,
        OperationStats total,
        LatencyStats serviceTime,
        List<OperationStats> operations,
        Duration maxScheduleLag,
        List<SloOutcome> slos,
        List<Timeline> timelines,
        ProfileSummary profile,
        GeneratorHealth generator,
        WarmupOutcome warmup,
        HostConditions host) {

    /** Copies the lists, so the record stays immutable. */
    public LoadTestResult {
        Objects.requireNonNull(testClass, "testClass");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(wallTime, "wallTime");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(serviceTime, "serviceTime");
        Objects.requireNonNull(maxScheduleLag, "maxScheduleLag");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(host, "host");
        operations = List.copyOf(operations);
        slos = List.copyOf(slos);
        timelines = List.copyOf(timelines);
    }

    /** A result without timelines, as results were before the HTML report. */
    public LoadTestResult(String testClass, String method, LoadSettings settings, Instant startedAt,
            Duration wallTime, OperationStats total, LatencyStats serviceTime, List<OperationStats> operations,
            Duration maxScheduleLag, List<SloOutcome> slos) {
        this(testClass, method, settings, startedAt, wallTime, total, serviceTime, operations, maxScheduleLag, slos,
                List.of());
    }

    /** A result without a profile or generator health, as results were before them. */
    public LoadTestResult(String testClass, String method, LoadSettings settings, Instant startedAt,
            Duration wallTime, OperationStats total, LatencyStats serviceTime, List<OperationStats> operations,
            Duration maxScheduleLag, List<SloOutcome> slos, List<Timeline> timelines) {
        this(testClass, method, settings, startedAt, wallTime, total, serviceTime, operations, maxScheduleLag, slos,
                timelines, ProfileSummary.OFF, GeneratorHealth.UNKNOWN);
    }

    /** A result without a warm-up outcome, as results were before steady warm-ups. */
    public LoadTestResult(String testClass, String method, LoadSettings settings, Instant startedAt,
            Duration wallTime, OperationStats total, LatencyStats serviceTime, List<OperationStats> operations,
            Duration maxScheduleLag, List<SloOutcome> slos, List<Timeline> timelines, ProfileSummary profile,
            GeneratorHealth generator) {
        this(testClass, method, settings, startedAt, wallTime, total, serviceTime, operations, maxScheduleLag, slos,
                timelines, profile, generator, WarmupOutcome.FIXED);
    }

    /** A result without host probes, as results were before them. */
    public LoadTestResult(String testClass, String method, LoadSettings settings, Instant startedAt,
            Duration wallTime, OperationStats total, LatencyStats serviceTime, List<OperationStats> operations,
            Duration maxScheduleLag, List<SloOutcome> slos, List<Timeline> timelines, ProfileSummary profile,
            GeneratorHealth generator, WarmupOutcome warmup) {
        this(testClass, method, settings, startedAt, wallTime, total, serviceTime, operations, maxScheduleLag, slos,
                timelines, profile, generator, warmup, HostConditions.NONE);
    }

    /** The figures over time of {@code operation} ({@code ""} for the whole method), if recorded. */
    public Optional<Timeline> timeline(String operation) {
        return timelines.stream().filter(timeline -> timeline.operation().equals(operation)).findFirst();
    }

    /** {@code SimpleClassName.method}, with nested classes joined by dots. */
    public String name() {
        String simpleClass = testClass.substring(testClass.lastIndexOf('.') + 1).replace('$', '.');
        return simpleClass + "." + method;
    }

    /** Successful invocations of the method. */
    public long successCount() {
        return total.successes();
    }

    /** Failed invocations of the method. */
    public long errorCount() {
        return total.failures();
    }

    /** All measured invocations of the method. */
    public long invocationCount() {
        return total.invocations();
    }

    /** Failed invocations as a percentage of all. */
    public double errorRatePercent() {
        return total.errorRatePercent();
    }

    /** Successful invocations per second of measured wall time. */
    public double throughput() {
        return total.throughput();
    }

    /** Latency of the successful invocations (in the open model, from their intended start). */
    public LatencyStats latency() {
        return total.latency();
    }

    /** The method's failures by exception type. */
    public List<ErrorSummary> errors() {
        return total.errors();
    }

    /** The named operation's figures, if it ran. */
    public Optional<OperationStats> operation(String name) {
        return operations.stream().filter(op -> op.name().equals(name)).findFirst();
    }

    /**
     * Whether no SLO was breached: every one was met, or was {@linkplain SloOutcome#inconclusive() inconclusive}
     * (too few samples to judge; see {@link #inconclusiveSlos()}). This is what the test's verdict follows.
     */
    public boolean slosMet() {
        return slos.stream().noneMatch(SloOutcome::failed);
    }

    /** The SLOs that were breached: the ones that fail the test. */
    public List<SloOutcome> breaches() {
        return slos.stream().filter(SloOutcome::failed).toList();
    }

    /** The SLOs left unjudged because their figure rested on fewer samples than their {@code minSamples}. */
    public List<SloOutcome> inconclusiveSlos() {
        return slos.stream().filter(SloOutcome::inconclusive).toList();
    }
}
