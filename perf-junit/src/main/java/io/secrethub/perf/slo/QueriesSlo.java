package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Figures;

/**
 * A budget on the SQL statements the method executes per invocation, through {@code @PostgresDatabase}'s pool.
 *
 * @param annotation {@code "@MaxQueriesPerOp"}
 * @param maxPerOp the budget per invocation, inclusive
 */
public record QueriesSlo(String annotation, double maxPerOp) implements MethodBudget {

    private static final String METRIC = "queries per op";

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Figures.number(maxPerOp);
        long invocations = scope.successes() + scope.failures();
        if (scope.statements() < 0 || invocations == 0) {
            String why = invocations == 0 ? "no invocations"
                    : "no DataSource of @PostgresDatabase was used in this JVM, so no statement was counted";
            return new SloOutcome(annotation, "", METRIC, AT_MOST, target, "not measured", false,
                    METRIC + " not measured: " + why + " (" + annotation + ")");
        }
        double perOp = (double) scope.statements() / invocations;
        String measured = Figures.number(perOp) + " (" + Figures.count(scope.statements()) + " statements in "
                + Figures.count(invocations) + " invocations)";
        boolean passed = perOp <= maxPerOp;
        String breach = passed ? "" : METRIC + " " + measured + " > " + target + " (" + annotation + ")";
        return new SloOutcome(annotation, "", METRIC, AT_MOST, target, measured, passed, breach);
    }
}
