package io.secrethub.perf.slo;

import io.secrethub.perf.SloOutcome;

/** A budget on the whole method's resources (allocation, GC pauses): no operation, so it always runs. */
public sealed interface MethodBudget extends Slo permits AllocationSlo, GcPauseSlo, QueriesSlo {

    @Override
    default String operation() {
        return "";
    }

    /** Never called: a budget has no operation, so it is always evaluated against the method. */
    @Override
    default SloOutcome neverRan(String recordedOperations) {
        throw new IllegalStateException(annotation() + " applies to the whole method");
    }
}
