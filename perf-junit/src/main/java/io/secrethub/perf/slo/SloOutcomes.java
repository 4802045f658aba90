package io.secrethub.perf.slo;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.SloOutcome.Comparator;

/** Outcomes shared by every kind of {@link Slo}. */
final class SloOutcomes {

    private SloOutcomes() {
    }

    /** A breach: the SLO names an operation that was never recorded, most likely a typo or a skipped branch. */
    static SloOutcome neverRan(
            Slo slo, String metric, Comparator comparator, String target, String recordedOperations) {
        String breach = "operation \"" + slo.operation() + "\" never ran (" + slo.annotation() + "); "
                + (recordedOperations.isEmpty() ? "no operations were recorded"
                        : "recorded operations: " + recordedOperations);
        return new SloOutcome(slo.annotation(), slo.operation(), metric, comparator, target, "never ran", false,
                breach);
    }
}
