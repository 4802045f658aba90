package io.secrethub.perf.slo;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.config.SloOptions;
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
        return evaluate(slos, method, operations, false);
    }

    /**
     * As {@link #evaluate(List, MeasuredScope, Map)}; with {@code inconclusiveFails} ({@code perf.slo.inconclusive=
     * fail}) an SLO with too few samples is a breach instead of {@link SloOutcome.Verdict#INCONCLUSIVE}, its message
     * saying why and naming the setting.
     */
    public static List<SloOutcome> evaluate(List<Slo> slos, MeasuredScope method,
            Map<String, ? extends MeasuredScope> operations, boolean inconclusiveFails) {
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
        return inconclusiveFails ? outcomes.stream().map(SloEvaluator::strict).toList() : outcomes;
    }

    /** {@code outcome}, or a breach if it was inconclusive: {@code perf.slo.inconclusive=fail}. */
    static SloOutcome strict(SloOutcome outcome) {
        if (!outcome.inconclusive()) {
            return outcome;
        }
        String reason = outcome.breach();
        String suffix = PerfKeys.SLO_INCONCLUSIVE + "=" + SloOptions.FAIL;
        String breach = reason.endsWith(")") ? reason.substring(0, reason.length() - 1) + "; " + suffix + ")"
                : reason + " (" + suffix + ")";
        return new SloOutcome(outcome.annotation(), outcome.operation(), outcome.metric(), outcome.comparator(),
                outcome.target(), outcome.measured(), SloOutcome.Verdict.FAIL, breach);
    }

    /**
     * One message listing every breach, e.g.
     * {@code secretReads: p95 62.1 ms > 50 ms (@MaxP95); throughput 480/s < 500/s (@MinThroughput)}; empty if
     * none was breached (inconclusive outcomes are no breach).
     */
    public static String failureMessage(String method, List<SloOutcome> outcomes) {
        String breaches = outcomes.stream().filter(SloOutcome::failed).map(SloOutcome::breach)
                .collect(Collectors.joining("; "));
        return breaches.isEmpty() ? "" : method + ": " + breaches;
    }
}
