package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.ErrorSummary;
import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Figures;
import java.util.stream.Collectors;

/**
 * An upper bound on the percentage of failed operations.
 *
 * @param annotation e.g. {@code "@MaxErrorRate"}
 * @param operation the operation, or {@code ""} for the whole method
 * @param maxPercent the bound, inclusive
 */
public record ErrorRateSlo(String annotation, String operation, double maxPercent) implements Slo {

    /**
     * Applied to a method without a whole-method {@code @MaxErrorRate}: a load test whose invocations throw
     * fails, just as an ordinary JUnit test would. Declare {@code @MaxErrorRate} to tolerate some.
     */
    public static ErrorRateSlo defaultForMethod() {
        return new ErrorRateSlo("@MaxErrorRate(0), the default", "", 0);
    }

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Figures.percent(maxPercent);
        String measured = Figures.percent(scope.errorRatePercent());
        boolean passed = scope.errorRatePercent() <= maxPercent;
        String breach = passed ? ""
                : Slo.scopePrefix(operation) + "error rate " + measured + " > " + target + " (" + annotation + "): "
                        + scope.errors().stream().map(ErrorRateSlo::describe).collect(Collectors.joining(", "));
        return new SloOutcome(annotation, operation, "error rate", AT_MOST, target, measured, passed, breach);
    }

    @Override
    public SloOutcome neverRan(String recordedOperations) {
        return SloOutcomes.neverRan(this, "error rate", AT_MOST, Figures.percent(maxPercent), recordedOperations);
    }

    private static String describe(ErrorSummary error) {
        return error.type() + " x" + Figures.count(error.count());
    }
}
