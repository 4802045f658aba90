package io.secrethub.perf.engine;

import io.secrethub.perf.GeneratorHealth;
import io.secrethub.perf.HostConditions;
import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.ProfileSummary;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.Timeline;
import io.secrethub.perf.slo.Slo;
import io.secrethub.perf.slo.SloEvaluator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns what a run recorded into a {@link LoadTestResult}, evaluating the SLOs on the way. */
final class ResultAssembler {

    private ResultAssembler() {
    }

    static LoadTestResult assemble(LoadPlan plan, Recording recording, TimelineRecorder timeline, RunOutcome outcome,
            List<Slo> slos, boolean inconclusiveFails, ProfileSummary profile, GeneratorHealth generator,
            HostConditions host) {
        long wall = outcome.wallNanos();
        HistogramScope method = new HistogramScope(plan.method().getName(), recording.latency().total(),
                recording.errors(), wall, timeline, "", outcome.allocatedBytes(), outcome.gcPauses())
                .withStatements(outcome.statements());
        Map<String, HistogramScope> operations = new LinkedHashMap<>();
        recording.operations().values().stream()
                .sorted(Comparator.comparing(Recording.Operation::name))
                .forEach(op -> operations.put(op.name(),
                        new HistogramScope(op.name(), op.latency().total(), op.errors(), wall, timeline, op.name())));

        List<SloOutcome> outcomes = SloEvaluator.evaluate(slos, method, operations, inconclusiveFails);
        LatencyStats serviceTime = recording.serviceTime() == null
                ? HistogramScope.latencyStats(recording.latency().total())
                : HistogramScope.latencyStats(recording.serviceTime().total());
        List<OperationStats> operationStats = new ArrayList<>();
        operations.values().forEach(scope -> operationStats.add(scope.toStats()));
        List<Timeline> timelines = new ArrayList<>();
        timelines.add(timeline.timeline("", recording.latency().total()));
        recording.operations().values().stream()
                .sorted(Comparator.comparing(Recording.Operation::name))
                .forEach(op -> timelines.add(timeline.timeline(op.name(), op.latency().total())));

        return new LoadTestResult(plan.testClass().getName(), plan.method().getName(), plan.settings(),
                outcome.startedAt(), Duration.ofNanos(wall), method.toStats(), serviceTime, operationStats,
                Duration.ofNanos(outcome.maxLagNanos()), outcomes, timelines, profile, generator, outcome.warmup(),
                host);
    }
}
