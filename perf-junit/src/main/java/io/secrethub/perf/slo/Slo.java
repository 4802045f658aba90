package io.secrethub.perf.slo;

import io.secrethub.perf.SloOutcome;

/** One service level objective, read from one SLO annotation. */
public sealed interface Slo permits LatencySlo, ThroughputSlo, ErrorRateSlo, DriftSlo, WindowedSlo, MethodBudget {

    /** The annotation as messages name it, e.g. {@code "@MaxP95"}. */
    String annotation();

    /** The operation it targets; {@code ""} for the whole method. */
    String operation();

    /** Checks the objective against {@code scope}, the figures of {@link #operation()}. */
    SloOutcome evaluate(MeasuredScope scope);

    /** The outcome when {@link #operation()} never ran: always a breach. */
    SloOutcome neverRan(String recordedOperations);

    /** Breach texts name the operation first, so that "which one" is read before "by how much". */
    static String scopePrefix(String operation) {
        return operation.isEmpty() ? "" : "operation \"" + operation + "\" ";
    }
}
