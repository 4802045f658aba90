package io.secrethub.perf.baseline;

import io.secrethub.perf.LoadTestResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one method that a baseline keeps.
 *
 * @param p50Nanos median latency
 * @param p95Nanos 95th percentile latency
 * @param p99Nanos 99th percentile latency
 * @param meanNanos mean latency
 * @param throughput successful operations per second
 * @param errorRatePercent failed operations in percent
 * @param recordedAt when the run started, ISO-8601
 * @param settings the load settings in words, so a reader sees what the figures were measured under
 */
public record BaselineEntry(
        long p50Nanos,
        long p95Nanos,
        long p99Nanos,
        double meanNanos,
        double throughput,
        double errorRatePercent,
        String recordedAt,
        String settings) {

    /** The entry for {@code result}. */
    public static BaselineEntry of(LoadTestResult result, String settingsDescription) {
        return new BaselineEntry(result.latency().p50Nanos(), result.latency().p95Nanos(),
                result.latency().p99Nanos(), result.latency().meanNanos(), result.throughput(),
                result.errorRatePercent(), result.startedAt().toString(), settingsDescription);
    }

    Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("p50Nanos", p50Nanos);
        map.put("p95Nanos", p95Nanos);
        map.put("p99Nanos", p99Nanos);
        map.put("meanNanos", meanNanos);
        map.put("throughput", throughput);
        map.put("errorRatePercent", errorRatePercent);
        map.put("recordedAt", recordedAt);
        map.put("settings", settings);
        return map;
    }

    static BaselineEntry fromMap(Map<?, ?> map) {
        return new BaselineEntry(
                ((Number) map.get("p50Nanos")).longValue(),
                ((Number) map.get("p95Nanos")).longValue(),
                ((Number) map.get("p99Nanos")).longValue(),
                ((Number) map.get("meanNanos")).doubleValue(),
                ((Number) map.get("throughput")).doubleValue(),
                ((Number) map.get("errorRatePercent")).doubleValue(),
                String.valueOf(map.get("recordedAt")),
                String.valueOf(map.get("settings")));
    }
}
