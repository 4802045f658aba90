package io.secrethub.perf.report;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.HostConditions;
import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.PercentileValue;
import io.secrethub.perf.ProfileEntry;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.ThreadMode;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.WarmupOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/**
 * {@link LoadTestResult}s as JSON, both ways: a stable, explicit mapping (durations in nanoseconds, fields named
 * like the record components) rather than reflection, so renaming a Java field never silently changes the files
 * that dashboards and baselines read.
 */
public final class ResultJson {

    /** Bumped when a field changes meaning. */
    public static final int FORMAT = 1;

    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private ResultJson() {
    }

    /** Writes {@code result} to {@code file}, replacing it atomically so readers never see half a file. */
    public static void write(LoadTestResult result, Path file) {
        writeJson(toMap(result), file);
    }

    /** Reads a result written by {@link #write}. */
    public static LoadTestResult read(Path file) {
        try {
            return fromMap(JSON.std.mapFrom(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (JacksonException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(file + " is not a load test result: " + e.getMessage(), e);
        }
    }

    /** Any JSON-ready tree of maps, lists, strings, numbers and booleans to {@code file}, atomically. */
    public static void writeJson(Object tree, Path file) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
            Files.writeString(temporary, PRETTY.asString(tree) + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Reads any JSON object from {@code file}. */
    public static Map<String, Object> readJson(Path file) {
        try {
            return JSON.std.mapFrom(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** {@code result} as a JSON-ready tree. */
    public static Map<String, Object> toMap(LoadTestResult result) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", FORMAT);
        map.put("name", result.name());
        map.put("testClass", result.testClass());
        map.put("method", result.method());
        map.put("startedAt", result.startedAt().toString());
        map.put("wallTimeNanos", result.wallTime().toNanos());
        map.put("settings", settings(result.settings()));
        map.put("total", stats(result.total()));
        map.put("serviceTime", latency(result.serviceTime()));
        map.put("maxScheduleLagNanos", result.maxScheduleLag().toNanos());
        map.put("operations", result.operations().stream().map(ResultJson::stats).toList());
        map.put("slos", result.slos().stream().map(ResultJson::slo).toList());
        map.put("timelines", result.timelines().stream().map(ResultJson::timeline).toList());
        map.put("profile", profile(result.profile()));
        map.put("generator", generator(result.generator()));
        map.put("warmup", warmup(result.warmup()));
        map.put("host", host(result.host()));
        return map;
    }

    /** The result {@code map} describes, as {@link #toMap} wrote it. */
    public static LoadTestResult fromMap(Map<String, Object> map) {
        return new LoadTestResult(
                string(map, "testClass"),
                string(map, "method"),
                settings(object(map, "settings")),
                Instant.parse(string(map, "startedAt")),
                Duration.ofNanos(number(map, "wallTimeNanos").longValue()),
                stats(object(map, "total")),
                latency(object(map, "serviceTime")),
                objects(map, "operations").stream().map(ResultJson::stats).toList(),
                Duration.ofNanos(number(map, "maxScheduleLagNanos").longValue()),
                objects(map, "slos").stream().map(ResultJson::slo).toList(),
                // Optional: files written before timelines existed have none.
                map.containsKey("timelines")
                        ? objects(map, "timelines").stream().map(ResultJson::timeline).toList() : List.of(),
                // Optional too: files written before profiles and generator health existed have neither.
                map.containsKey("profile") ? profile(object(map, "profile")) : ProfileSummary.OFF,
                map.containsKey("generator") ? generator(object(map, "generator")) : GeneratorHealth.UNKNOWN,
                map.containsKey("warmup") ? warmup(object(map, "warmup")) : WarmupOutcome.FIXED,
                map.containsKey("host") ? host(object(map, "host")) : HostConditions.NONE);
    }

    private static Map<String, Object> host(HostConditions host) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("before", hostSample(host.before()));
        map.put("after", hostSample(host.after()));
        return map;
    }

    private static HostConditions host(Map<String, Object> map) {
        return new HostConditions(hostSample(object(map, "before")), hostSample(object(map, "after")));
    }

    private static Map<String, Object> hostSample(HostConditions.Sample sample) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("hashesPerSecond", sample.hashesPerSecond());
        map.put("syncsPerSecond", sample.syncsPerSecond());
        return map;
    }

    private static HostConditions.Sample hostSample(Map<String, Object> map) {
        return new HostConditions.Sample(number(map, "hashesPerSecond").doubleValue(),
                number(map, "syncsPerSecond").doubleValue());
    }

    private static Map<String, Object> warmup(WarmupOutcome warmup) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("untilSteady", warmup.untilSteady());
        map.put("steady", warmup.steady());
        map.put("durationNanos", warmup.duration().toNanos());
        map.put("detail", warmup.detail());
        return map;
    }

    private static WarmupOutcome warmup(Map<String, Object> map) {
        return new WarmupOutcome(Boolean.TRUE.equals(map.get("untilSteady")), Boolean.TRUE.equals(map.get("steady")),
                Duration.ofNanos(number(map, "durationNanos").longValue()), string(map, "detail"));
    }

    private static Map<String, Object> profile(ProfileSummary profile) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("mode", profile.mode());
        map.put("file", profile.file());
        map.put("executionSamples", profile.executionSamples());
        map.put("hotMethods", profile.hotMethods().stream().map(ResultJson::profileEntry).toList());
        map.put("allocationSites", profile.allocationSites().stream().map(ResultJson::profileEntry).toList());
        map.put("lockContention", profile.lockContention().stream().map(ResultJson::profileEntry).toList());
        map.put("gcPauses", profile.gcPauses());
        map.put("gcPauseTotalNanos", profile.gcPauseTotalNanos());
        map.put("gcPauseMaxNanos", profile.gcPauseMaxNanos());
        map.put("allocatedBytes", profile.allocatedBytes());
        map.put("note", profile.note());
        return map;
    }

    private static ProfileSummary profile(Map<String, Object> map) {
        return new ProfileSummary(string(map, "mode"), string(map, "file"),
                number(map, "executionSamples").longValue(),
                objects(map, "hotMethods").stream().map(ResultJson::profileEntry).toList(),
                objects(map, "allocationSites").stream().map(ResultJson::profileEntry).toList(),
                objects(map, "lockContention").stream().map(ResultJson::profileEntry).toList(),
                number(map, "gcPauses").longValue(), number(map, "gcPauseTotalNanos").longValue(),
                number(map, "gcPauseMaxNanos").longValue(), number(map, "allocatedBytes").longValue(),
                string(map, "note"));
    }

    private static Map<String, Object> profileEntry(ProfileEntry entry) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", entry.name());
        map.put("events", entry.events());
        map.put("weight", entry.weight());
        return map;
    }

    private static ProfileEntry profileEntry(Map<String, Object> map) {
        return new ProfileEntry(string(map, "name"), number(map, "events").longValue(),
                number(map, "weight").longValue());
    }

    private static Map<String, Object> generator(GeneratorHealth generator) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("runId", generator.runId());
        map.put("generatorId", generator.generatorId());
        map.put("processCpuPercent", generator.processCpuPercent());
        map.put("agentCpuPercent", generator.agentCpuPercent());
        map.put("behindSchedulePercent", generator.behindSchedulePercent());
        map.put("bottleneck", generator.bottleneck());
        return map;
    }

    private static GeneratorHealth generator(Map<String, Object> map) {
        return new GeneratorHealth(string(map, "runId"), string(map, "generatorId"),
                number(map, "processCpuPercent").doubleValue(), number(map, "agentCpuPercent").doubleValue(),
                number(map, "behindSchedulePercent").doubleValue(), string(map, "bottleneck"));
    }

    private static Map<String, Object> timeline(Timeline timeline) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("operation", timeline.operation());
        map.put("intervals", timeline.intervals().stream().map(ResultJson::interval).toList());
        map.put("distribution", timeline.distribution().stream().map(ResultJson::percentile).toList());
        LatencyTrend trend = timeline.trend();
        Map<String, Object> trendMap = new LinkedHashMap<>();
        trendMap.put("percentile", trend.percentile());
        trendMap.put("firstThirdNanos", trend.firstThirdNanos());
        trendMap.put("lastThirdNanos", trend.lastThirdNanos());
        trendMap.put("intervals", trend.intervals());
        trendMap.put("measured", trend.measured());
        map.put("trend", trendMap);
        return map;
    }

    private static Timeline timeline(Map<String, Object> map) {
        Map<String, Object> trend = object(map, "trend");
        return new Timeline(string(map, "operation"),
                objects(map, "intervals").stream().map(ResultJson::interval).toList(),
                objects(map, "distribution").stream().map(ResultJson::percentile).toList(),
                new LatencyTrend(number(trend, "percentile").doubleValue(),
                        number(trend, "firstThirdNanos").longValue(),
                        number(trend, "lastThirdNanos").longValue(), number(trend, "intervals").intValue()));
    }

    private static Map<String, Object> interval(IntervalStats interval) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("startSeconds", interval.startSeconds());
        map.put("endSeconds", interval.endSeconds());
        map.put("successes", interval.successes());
        map.put("failures", interval.failures());
        map.put("p50Nanos", interval.p50Nanos());
        map.put("p95Nanos", interval.p95Nanos());
        map.put("p99Nanos", interval.p99Nanos());
        map.put("maxNanos", interval.maxNanos());
        return map;
    }

    private static IntervalStats interval(Map<String, Object> map) {
        return new IntervalStats(number(map, "startSeconds").doubleValue(), number(map, "endSeconds").doubleValue(),
                number(map, "successes").longValue(), number(map, "failures").longValue(),
                number(map, "p50Nanos").longValue(), number(map, "p95Nanos").longValue(),
                number(map, "p99Nanos").longValue(), number(map, "maxNanos").longValue());
    }

    private static Map<String, Object> percentile(PercentileValue point) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("percentile", point.percentile());
        map.put("valueNanos", point.valueNanos());
        return map;
    }

    private static PercentileValue percentile(Map<String, Object> map) {
        return new PercentileValue(number(map, "percentile").doubleValue(), number(map, "valueNanos").longValue());
    }

    private static Map<String, Object> settings(LoadSettings settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("agents", settings.agents());
        map.put("iterations", settings.iterations());
        map.put("durationNanos", settings.duration().toNanos());
        map.put("rate", settings.rate());
        map.put("warmupIterations", settings.warmupIterations());
        map.put("warmupDurationNanos", settings.warmupDuration().toNanos());
        map.put("rampUpNanos", settings.rampUp().toNanos());
        map.put("timeoutNanos", settings.timeout().toNanos());
        map.put("scale", settings.scale());
        map.put("seed", settings.seed());
        map.put("threads", settings.threads().key());
        map.put("warmupUntilSteady", settings.warmupUntilSteady());
        map.put("description", SettingsText.describe(settings));
        return map;
    }

    private static LoadSettings settings(Map<String, Object> map) {
        return new LoadSettings(
                number(map, "agents").intValue(),
                number(map, "iterations").intValue(),
                Duration.ofNanos(number(map, "durationNanos").longValue()),
                number(map, "rate").doubleValue(),
                number(map, "warmupIterations").intValue(),
                Duration.ofNanos(number(map, "warmupDurationNanos").longValue()),
                Duration.ofNanos(number(map, "rampUpNanos").longValue()),
                Duration.ofNanos(number(map, "timeoutNanos").longValue()),
                number(map, "scale").doubleValue(),
                number(map, "seed").longValue(),
                threadMode(string(map, "threads")),
                Boolean.TRUE.equals(map.get("warmupUntilSteady"))); // absent in files from before steady warm-ups
    }

    private static ThreadMode threadMode(String key) {
        return ThreadMode.ofKey(key).orElseThrow(() -> new IllegalArgumentException("unknown \"threads\": " + key));
    }

    private static Map<String, Object> stats(OperationStats stats) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", stats.name());
        map.put("successes", stats.successes());
        map.put("failures", stats.failures());
        map.put("throughput", stats.throughput());
        map.put("errorRatePercent", stats.errorRatePercent());
        map.put("latency", latency(stats.latency()));
        map.put("errors", stats.errors().stream().map(ResultJson::error).toList());
        return map;
    }

    private static OperationStats stats(Map<String, Object> map) {
        return new OperationStats(
                string(map, "name"),
                number(map, "successes").longValue(),
                number(map, "failures").longValue(),
                number(map, "throughput").doubleValue(),
                number(map, "errorRatePercent").doubleValue(),
                latency(object(map, "latency")),
                objects(map, "errors").stream().map(ResultJson::error).toList());
    }

    private static Map<String, Object> latency(LatencyStats stats) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", stats.count());
        map.put("meanNanos", stats.meanNanos());
        map.put("minNanos", stats.minNanos());
        map.put("p50Nanos", stats.p50Nanos());
        map.put("p90Nanos", stats.p90Nanos());
        map.put("p95Nanos", stats.p95Nanos());
        map.put("p99Nanos", stats.p99Nanos());
        map.put("p999Nanos", stats.p999Nanos());
        map.put("maxNanos", stats.maxNanos());
        return map;
    }

    private static LatencyStats latency(Map<String, Object> map) {
        return new LatencyStats(
                number(map, "count").longValue(),
                number(map, "meanNanos").doubleValue(),
                number(map, "minNanos").longValue(),
                number(map, "p50Nanos").longValue(),
                number(map, "p90Nanos").longValue(),
                number(map, "p95Nanos").longValue(),
                number(map, "p99Nanos").longValue(),
                number(map, "p999Nanos").longValue(),
                number(map, "maxNanos").longValue());
    }

    private static Map<String, Object> error(ErrorSummary error) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", error.type());
        map.put("count", error.count());
        map.put("firstMessage", error.firstMessage());
        map.put("firstStackTrace", error.firstStackTrace());
        return map;
    }

    private static ErrorSummary error(Map<String, Object> map) {
        return new ErrorSummary(string(map, "type"), number(map, "count").longValue(), string(map, "firstMessage"),
                string(map, "firstStackTrace"));
    }

    private static Map<String, Object> slo(SloOutcome slo) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("annotation", slo.annotation());
        map.put("operation", slo.operation());
        map.put("metric", slo.metric());
        map.put("comparator", slo.comparator().symbol());
        map.put("target", slo.target());
        map.put("measured", slo.measured());
        map.put("passed", slo.passed());
        map.put("verdict", slo.verdict().name());
        map.put("breach", slo.breach());
        return map;
    }

    private static SloOutcome slo(Map<String, Object> map) {
        // Files written before inconclusive outcomes existed hold only "passed".
        SloOutcome.Verdict verdict = map.get("verdict") instanceof String name ? SloOutcome.Verdict.valueOf(name)
                : Boolean.TRUE.equals(map.get("passed")) ? SloOutcome.Verdict.PASS : SloOutcome.Verdict.FAIL;
        return new SloOutcome(string(map, "annotation"), string(map, "operation"), string(map, "metric"),
                comparator(string(map, "comparator")), string(map, "target"), string(map, "measured"), verdict,
                string(map, "breach"));
    }

    private static SloOutcome.Comparator comparator(String symbol) {
        return SloOutcome.Comparator.ofSymbol(symbol)
                .orElseThrow(() -> new IllegalArgumentException("unknown \"comparator\": " + symbol));
    }

    private static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new NullPointerException("missing \"" + key + "\"");
        }
        return (String) value;
    }

    private static Number number(Map<String, Object> map, String key) {
        Object value = map.get(key);
        if (value == null) {
            throw new NullPointerException("missing \"" + key + "\"");
        }
        return (Number) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> map, String key) {
        return (Map<String, Object>) map.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> map, String key) {
        return (List<Map<String, Object>>) map.get(key);
    }
}
