package io.secrethub.perf.engine;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.IntervalStats;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LatencyTrend;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.report.IntervalLog;
import io.secrethub.perf.slo.MeasuredScope;
import io.secrethub.perf.slo.MeasuredScope.GcFigures;
import io.secrethub.perf.slo.MeasuredWindow;
import io.secrethub.perf.slo.MethodBudget;
import io.secrethub.perf.slo.Slo;
import io.secrethub.perf.slo.SloEvaluator;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * One load test's results from several generators (the same run, N JVMs) as one result: the interval histograms
 * of their {@code .hlog} files summed into one-second buckets from the earliest start (so every percentile is that
 * of one histogram of all the recorded values), failures and errors summed from their JSON results, throughput
 * summed over the window in which all generators ran, and the SLOs evaluated on the merged figures. Internal; the
 * command line is {@code io.secrethub.perf.report.Merge}.
 */
public final class ResultMerger {

    /** The width of a merged interval. */
    private static final long BUCKET_MILLIS = 1_000;
    private static final String SERVICE_TIME_TAG = "service-time";
    private static final String OPERATION_TAG_PREFIX = "op.";

    private ResultMerger() {
    }

    /** One generator's result of the test and its interval log. */
    public record Part(LoadTestResult result, Path hlog) {
    }

    /** One interval of one generator's log, in epoch milliseconds. */
    private record Interval(long startMillis, long endMillis, Histogram histogram) {
    }

    /** One series (the method's latency, the service time, an operation) of every generator. */
    private static final class Series {
        final Histogram total = LatencySink.newHistogram();
        final List<Interval> intervals = new ArrayList<>();

        /** The intervals summed by the one-second bucket (from {@code originMillis}) their middle lies in. */
        TreeMap<Long, Histogram> buckets(long originMillis) {
            TreeMap<Long, Histogram> buckets = new TreeMap<>();
            for (Interval interval : intervals) {
                long middle = (interval.startMillis() + interval.endMillis()) / 2;
                buckets.computeIfAbsent(bucket(middle, originMillis), key -> LatencySink.newHistogram())
                        .add(interval.histogram());
            }
            return buckets;
        }
    }

    /**
     * Merges {@code parts}, all results of the same test.
     *
     * @param slos the test's SLOs, read from its annotations; {@code null} when the class is not on the class path
     *     (the merged result then carries the generators' own SLO outcomes, none re-evaluated)
     */
    public static LoadTestResult merge(List<Part> parts, List<Slo> slos) {
        return merge(parts, slos, false);
    }

    /**
     * Merges {@code parts}, all results of the same test; with {@code inconclusiveFails}
     * ({@code perf.slo.inconclusive=fail}) a re-evaluated SLO with too few samples is a breach.
     *
     * @param slos the test's SLOs, read from its annotations; {@code null} when the class is not on the class path
     *     (the merged result then carries the generators' own SLO outcomes, none re-evaluated)
     */
    public static LoadTestResult merge(List<Part> parts, List<Slo> slos, boolean inconclusiveFails) {
        LoadTestResult first = parts.get(0).result();
        long startMillis = parts.stream().mapToLong(part -> part.result().startedAt().toEpochMilli()).min()
                .orElseThrow();
        long endMillis = parts.stream().mapToLong(ResultMerger::endMillis).max().orElseThrow();
        long overlapStart = parts.stream().mapToLong(part -> part.result().startedAt().toEpochMilli()).max()
                .orElseThrow();
        long overlapEnd = parts.stream().mapToLong(ResultMerger::endMillis).min().orElseThrow();

        Map<String, Series> series = new LinkedHashMap<>();
        for (Part part : parts) {
            readLog(part, series);
        }
        Series method = series.computeIfAbsent("", key -> new Series());

        // Failures per bucket, from each generator's timelines (the .hlog holds successes only).
        Map<String, TreeMap<Long, Long>> failures = new LinkedHashMap<>();
        for (Part part : parts) {
            long partStart = part.result().startedAt().toEpochMilli();
            for (Timeline timeline : part.result().timelines()) {
                for (IntervalStats interval : timeline.intervals()) {
                    long middle = partStart + Math.round((interval.startSeconds() + interval.endSeconds()) * 500);
                    failures.computeIfAbsent(timeline.operation(), key -> new TreeMap<>())
                            .merge(bucket(middle, startMillis), interval.failures(), Long::sum);
                }
            }
        }
        long lastBucket = bucket(endMillis - 1, startMillis);
        TimelineRecorder recorder = new TimelineRecorder();
        List<String> operations = series.keySet().stream()
                .filter(name -> !name.isEmpty() && !name.equals(SERVICE_TIME_TAG)).sorted().toList();
        List<String> scopes = new ArrayList<>();
        scopes.add("");
        scopes.addAll(operations);
        for (String scope : scopes) {
            TreeMap<Long, Histogram> buckets = series.get(scope).buckets(startMillis);
            TreeMap<Long, Long> failed = failures.getOrDefault(scope, new TreeMap<>());
            long errorsSoFar = 0;
            for (long bucket = 0; bucket <= lastBucket; bucket++) {
                errorsSoFar += failed.getOrDefault(bucket, 0L);
                Histogram histogram = buckets.getOrDefault(bucket, LatencySink.newHistogram());
                recorder.add(scope, bucket, Math.min(bucket + 1, (endMillis - startMillis) / 1e3), histogram,
                        errorsSoFar);
            }
        }

        long wallNanos = (endMillis - startMillis) * 1_000_000;
        Map<String, MergedScope> scopeFigures = new LinkedHashMap<>();
        scopeFigures.put("", scope("", method, errors(parts, ""), wallNanos, recorder, overlapStart, overlapEnd));
        for (String operation : operations) {
            scopeFigures.put(operation, scope(operation, series.get(operation), errors(parts, operation), wallNanos,
                    recorder, overlapStart, overlapEnd));
        }
        MergedScope methodScope = scopeFigures.remove("");
        List<SloOutcome> outcomes = slos == null ? first.slos() : evaluate(slos, methodScope, scopeFigures, parts,
                inconclusiveFails);

        List<Timeline> timelines = new ArrayList<>();
        timelines.add(recorder.timeline("", method.total));
        operations.forEach(operation -> timelines.add(recorder.timeline(operation, series.get(operation).total)));
        LatencyStats serviceTime = series.containsKey(SERVICE_TIME_TAG)
                ? HistogramScope.latencyStats(series.get(SERVICE_TIME_TAG).total)
                : HistogramScope.latencyStats(method.total);
        String generators = parts.stream().map(part -> part.result().generator().generatorId())
                .collect(Collectors.joining(", "));
        String bottlenecks = parts.stream().filter(part -> part.result().generator().wasBottleneck())
                .map(part -> part.result().generator().generatorId() + ": " + part.result().generator().bottleneck())
                .collect(Collectors.joining("; "));
        GeneratorHealth generator = new GeneratorHealth(first.generator().runId(),
                parts.size() + " generators (" + generators + ")", -1, -1,
                parts.stream().mapToDouble(part -> part.result().generator().behindSchedulePercent()).max()
                        .orElse(0), bottlenecks);
        Duration maxLag = parts.stream().map(part -> part.result().maxScheduleLag()).max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        return new LoadTestResult(first.testClass(), first.method(), first.settings(),
                Instant.ofEpochMilli(startMillis), Duration.ofNanos(wallNanos), methodScope.toStats(), serviceTime,
                scopeFigures.values().stream().map(MergedScope::toStats).toList(), maxLag, outcomes, timelines,
                ProfileSummary.OFF, generator, parts.stream().map(part -> part.result().warmup())
                        .filter(warmup -> warmup.untilSteady() && !warmup.steady()).findFirst()
                        .orElse(first.warmup()));
    }

    /**
     * Writes every generator's intervals into one {@code .hlog}, on the merged run's clock from {@code start}: the
     * method's latency untagged, the rest tagged, as the generators wrote them.
     */
    public static void writeLog(List<Part> parts, Path file, Instant start, String comment) {
        Map<String, Series> series = new LinkedHashMap<>();
        for (Part part : parts) {
            readLog(part, series);
        }
        List<Map.Entry<String, Interval>> all = new ArrayList<>();
        series.forEach((scope, values) -> values.intervals.forEach(interval -> all.add(Map.entry(scope, interval))));
        all.sort(Comparator.comparingLong(entry -> entry.getValue().startMillis()));
        try (IntervalLog log = IntervalLog.create(file, start, comment)) {
            for (Map.Entry<String, Interval> entry : all) {
                String scope = entry.getKey();
                String tag = scope.isEmpty() ? IntervalLog.UNTAGGED
                        : scope.equals(SERVICE_TIME_TAG) ? scope : OPERATION_TAG_PREFIX + scope;
                Interval interval = entry.getValue();
                log.write(tag, interval.histogram(), (interval.startMillis() - start.toEpochMilli()) / 1e3,
                        (interval.endMillis() - start.toEpochMilli()) / 1e3);
            }
        }
    }

    private static long endMillis(Part part) {
        return part.result().startedAt().toEpochMilli() + part.result().wallTime().toMillis();
    }

    private static long bucket(long millis, long startMillis) {
        return Math.max(0, Math.floorDiv(millis - startMillis, BUCKET_MILLIS));
    }

    /**
     * Reads one generator's intervals onto the wall clock. The log's own start time is when the log was opened,
     * before the agents' set-up, while its intervals count from the measured start: so they are placed from the
     * result's {@code startedAt}.
     */
    private static void readLog(Part part, Map<String, Series> series) {
        Path file = part.hlog();
        long origin = part.result().startedAt().toEpochMilli();
        try {
            HistogramLogReader reader = new HistogramLogReader(file.toFile());
            EncodableHistogram next;
            while ((next = reader.nextIntervalHistogram()) != null) {
                if (!(next instanceof Histogram interval)) {
                    continue;
                }
                String tag = interval.getTag();
                String scope = tag == null ? "" : tag.startsWith(OPERATION_TAG_PREFIX)
                        ? tag.substring(OPERATION_TAG_PREFIX.length()) : tag;
                Series values = series.computeIfAbsent(scope, key -> new Series());
                values.total.add(interval);
                long logStart = Math.round(reader.getStartTimeSec() * 1000);
                values.intervals.add(new Interval(origin + interval.getStartTimeStamp() - logStart,
                        origin + interval.getEndTimeStamp() - logStart, interval));
            }
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static MergedScope scope(String name, Series values, List<ErrorSummary> errors, long wallNanos,
            TimelineRecorder recorder, long overlapStart, long overlapEnd) {
        // The successes inside the window all generators ran in, each interval prorated by its share of it.
        double inWindow = 0;
        for (Interval interval : values.intervals) {
            long from = Math.max(interval.startMillis(), overlapStart);
            long to = Math.min(interval.endMillis(), overlapEnd);
            long length = interval.endMillis() - interval.startMillis();
            if (to > from && length > 0) {
                inWindow += (double) interval.histogram().getTotalCount() * (to - from) / length;
            }
        }
        double overlapSeconds = (overlapEnd - overlapStart) / 1e3;
        long failures = errors.stream().mapToLong(ErrorSummary::count).sum();
        double throughput = overlapSeconds > 0 ? inWindow / overlapSeconds
                : wallNanos == 0 ? 0 : values.total.getTotalCount() / (wallNanos / 1e9);
        return new MergedScope(new HistogramScope(name, values.total, errors, wallNanos, recorder, name,
                AllocationCounter.UNAVAILABLE, GcFigures.NOT_MEASURED), throughput, failures);
    }

    private static List<ErrorSummary> errors(List<Part> parts, String operation) {
        Map<String, ErrorSummary> byType = new LinkedHashMap<>();
        for (Part part : parts) {
            List<ErrorSummary> errors = operation.isEmpty() ? part.result().errors()
                    : part.result().operation(operation).map(OperationStats::errors).orElse(List.of());
            for (ErrorSummary error : errors) {
                byType.merge(error.type(), error, (a, b) -> new ErrorSummary(a.type(), a.count() + b.count(),
                        a.firstMessage(), a.firstStackTrace()));
            }
        }
        return byType.values().stream().sorted(Comparator.comparingLong(ErrorSummary::count).reversed()).toList();
    }

    private static List<SloOutcome> evaluate(List<Slo> slos, MergedScope method, Map<String, MergedScope> operations,
            List<Part> parts, boolean inconclusiveFails) {
        List<Slo> onFigures = slos.stream().filter(slo -> !(slo instanceof MethodBudget)).toList();
        List<SloOutcome> evaluated = SloEvaluator.evaluate(onFigures, method, operations, inconclusiveFails);
        List<SloOutcome> outcomes = new ArrayList<>();
        int next = 0;
        for (Slo slo : slos) {
            if (slo instanceof MethodBudget) {
                // Allocation, GC and query budgets are per JVM: each generator judged its own; the worst stands.
                outcomes.add(parts.stream().flatMap(part -> part.result().slos().stream())
                        .filter(outcome -> outcome.annotation().equals(slo.annotation()))
                        .min(Comparator.comparing(SloOutcome::passed)).orElse(slo.evaluate(method)));
            } else {
                outcomes.add(evaluated.get(next++));
            }
        }
        return outcomes;
    }

    /** A merged scope: the merged histogram's figures, throughput over the common window. */
    private static final class MergedScope implements MeasuredScope {
        private final HistogramScope figures;
        private final double throughput;
        private final long failures;

        MergedScope(HistogramScope figures, double throughput, long failures) {
            this.figures = figures;
            this.throughput = throughput;
            this.failures = failures;
        }

        OperationStats toStats() {
            OperationStats stats = figures.toStats();
            return new OperationStats(stats.name(), stats.successes(), failures, throughput, errorRatePercent(),
                    stats.latency(), stats.errors());
        }

        @Override
        public long successes() {
            return figures.successes();
        }

        @Override
        public long failures() {
            return failures;
        }

        @Override
        public double throughput() {
            return throughput;
        }

        @Override
        public long percentileNanos(double percentile) {
            return figures.percentileNanos(percentile);
        }

        @Override
        public double meanNanos() {
            return figures.meanNanos();
        }

        @Override
        public List<ErrorSummary> errors() {
            return figures.errors();
        }

        @Override
        public LatencyTrend trend(double percentile) {
            return figures.trend(percentile);
        }

        @Override
        public List<MeasuredWindow> windows(long windowNanos) {
            return figures.windows(windowNanos);
        }
    }
}
