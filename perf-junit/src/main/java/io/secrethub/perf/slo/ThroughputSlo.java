package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_LEAST;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Figures;

/**
 * A lower bound on successful operations per second of measured wall time.
 *
 * @param annotation e.g. {@code "@MinThroughput"}
 * @param operation the operation, or {@code ""} for the whole method
 * @param minPerSecond the bound, inclusive
 */
public record ThroughputSlo(String annotation, String operation, double minPerSecond) implements Slo {

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Figures.rate(minPerSecond);
        String measured = Figures.rate(scope.throughput());
        boolean passed = scope.throughput() >= minPerSecond;
        String breach = passed ? ""
                : Slo.scopePrefix(operation) + "throughput " + measured + " < " + target + " (" + annotation + ")";
        return new SloOutcome(annotation, operation, "throughput", AT_LEAST, target, measured, passed, breach);
    }

    @Override
    public SloOutcome neverRan(String recordedOperations) {
        return SloOutcomes.neverRan(this, "throughput", AT_LEAST, Figures.rate(minPerSecond), recordedOperations);
    }
}
