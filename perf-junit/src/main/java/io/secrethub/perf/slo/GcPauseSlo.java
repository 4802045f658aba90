package io.secrethub.perf.slo;

import static io.secrethub.perf.SloOutcome.Comparator.AT_MOST;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;

/**
 * A budget on the longest stop-the-world GC pause of the measured part.
 *
 * @param annotation {@code "@MaxGcPause"}
 * @param maxNanos the longest acceptable pause, inclusive
 */
public record GcPauseSlo(String annotation, long maxNanos) implements MethodBudget {

    private static final String METRIC = "max GC pause";

    @Override
    public SloOutcome evaluate(MeasuredScope scope) {
        String target = Durations.format(maxNanos);
        MeasuredScope.GcFigures gc = scope.gcPauses();
        if (gc.maxNanos() < 0) {
            return new SloOutcome(annotation, "", METRIC, AT_MOST, target, "not measured", false,
                    METRIC + " not measured: the JVM sends no GC notifications (" + annotation + ")");
        }
        String measured = Durations.format(gc.maxNanos()) + " (" + Figures.count(gc.count()) + " pauses, "
                + Durations.format(gc.totalNanos()) + " in all)";
        boolean passed = gc.maxNanos() <= maxNanos;
        String breach = passed ? "" : METRIC + " " + measured + " > " + target + " (" + annotation + ")";
        return new SloOutcome(annotation, "", METRIC, AT_MOST, target, measured, passed, breach);
    }
}
