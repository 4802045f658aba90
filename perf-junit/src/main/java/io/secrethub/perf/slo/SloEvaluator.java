package io.secrethub.perf.slo;

import io.secrethub.perf.SloOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Evaluates a method's SLOs and phrases their breaches. */
public final class SloEvaluator {

    private SloEvaluator() {
    }

    /**
     * The outcome of each SLO, in order: whole-method SLOs against {@code method}, the others against their
     * operation in {@code operations}, or as a breach if that operation never ran.
     */
    public static List<SloOutcome> evaluate(
            List<Slo> slos, MeasuredScope method, Map<String, ? extends MeasuredScope> operations) {
        String recorded = operations.keySet().stream().sorted().collect(Collectors.joining(", "));
        List<SloOutcome> outcomes = new ArrayList<>(slos.size());
        for (Slo slo : slos) {
            if (slo.operation().isEmpty()) {
                outcomes.add(slo.evaluate(method));
            } else {
                MeasuredScope operation = operations.get(slo.operation());
                outcomes.add(operation == null ? slo.neverRan(recorded) : slo.evaluate(operation));
            }
        }
        return outcomes;
    }

    /**
     * One message listing every breach, e.g.
     * {@code secretReads: p95 62.1 ms > 50 ms (@MaxP95); throughput 480/s < 500/s (@MinThroughput)}; empty if
     * every SLO was met.
     */
    public static String failureMessage(String method, List<SloOutcome> outcomes) {
        String breaches = outcomes.stream().filter(outcome -> !outcome.passed()).map(SloOutcome::breach)
                .collect(Collectors.joining("; "));
        return breaches.isEmpty() ? "" : method + ": " + breaches;
    }
}
