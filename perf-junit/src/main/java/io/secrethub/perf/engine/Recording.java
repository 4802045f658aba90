package io.secrethub.perf.engine;

import io.secrethub.perf.report.IntervalLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Everything one run records: the method's latency and errors, its service time, and each named operation. */
final class Recording {

    /** One named operation, as recorded through {@link io.secrethub.perf.Agent#time}. */
    record Operation(String name, LatencyMetric latency, ErrorTally errors) {
    }

    private final RecorderLayout layout;
    private final LatencyMetric latency;
    private final LatencyMetric serviceTime;
    private final ErrorTally errors = new ErrorTally();
    private final ConcurrentHashMap<String, Operation> operations = new ConcurrentHashMap<>();

    /** @param openModel whether service time is recorded beside the latency from the intended start */
    Recording(RecorderLayout layout, boolean openModel) {
        this.layout = layout;
        // Untagged, so `HistogramLogProcessor -i file.hlog` (which reads untagged histograms unless given -tag)
        // plots the method's latency as the README says; the other series carry tags.
        this.latency = new LatencyMetric(IntervalLog.UNTAGGED, layout);
        this.serviceTime = openModel ? new LatencyMetric("service-time", layout) : null;
    }

    LatencyMetric latency() {
        return latency;
    }

    /** The service-time series, or {@code null} in the closed model where it equals the latency. */
    LatencyMetric serviceTime() {
        return serviceTime;
    }

    ErrorTally errors() {
        return errors;
    }

    /** The named operation, created on first use. */
    Operation operation(String name) {
        Operation operation = operations.get(name);
        return operation != null ? operation : operations.computeIfAbsent(name,
                key -> new Operation(key, new LatencyMetric("op." + tagSafe(key), layout), new ErrorTally()));
    }

    /** The operations recorded so far, by name. */
    Map<String, Operation> operations() {
        return Map.copyOf(operations);
    }

    /** Every series, in a stable order: latency, service time, then operations by name. */
    List<LatencyMetric> metrics() {
        List<LatencyMetric> metrics = new ArrayList<>();
        metrics.add(latency);
        if (serviceTime != null) {
            metrics.add(serviceTime);
        }
        operations.values().stream().sorted(Comparator.comparing(Operation::name))
                .forEach(operation -> metrics.add(operation.latency()));
        return metrics;
    }

    /** HdrHistogram log tags may not hold commas or white space. */
    private static String tagSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
