package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Sizes;

/**
 * A budget on the heap bytes the agents allocate per invocation of the method.
 *
 * @param annotation {@code "@MaxAllocationPerOp"}
 * @param maxBytes the budget per invocation, inclusive
 */
public record AllocationSlo(String annotation, long maxBytes) implements MethodBudget {

    private static final String METRIC = "allocation per op";

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Sizes.format(maxBytes);
        long invocations = scope.successes() + scope.failures();
        if (scope.allocatedBytes() < 0 || invocations == 0) {
            String why = invocations == 0 ? "no invocations"
                    : "the JVM keeps no allocation count for the agents' threads (virtual threads?"
                            + " run with perf.threads=platform)";
            return new SloOutcome(annotation, "", METRIC, AT_MOST, target, "not measured", false,
                    METRIC + " not measured: " + why + " (" + annotation + ")");
        }
        double perOp = (double) scope.allocatedBytes() / invocations;
        String measured = Sizes.format(perOp);
        boolean passed = perOp <= maxBytes;
        String breach = passed ? "" : METRIC + " " + measured + " > " + target + " (" + annotation + ")";
        return new SloOutcome(annotation, "", METRIC, AT_MOST, target, measured, passed, breach);
    }
}
