package io.secrethub.perf.report;

import io.secrethub.perf.SloOutcome;
import io.secrethub.perf.config.PerfKeys;
import io.secrethub.perf.config.SloOptions;
import java.util.List;

/** How the reports word SLOs left unjudged for too few samples. */
final class InconclusiveText {

    /** What an inconclusive SLO means and how to make it fail instead. */
    static final String EXPLANATION = "INCONCLUSIVE: too few samples to judge, so neither met nor breached; the test"
            + " does not fail on it (" + PerfKeys.SLO_INCONCLUSIVE + "=" + SloOptions.FAIL + " would)";

    private InconclusiveText() {
    }

    /** {@code ", 2 SLOs inconclusive"} when any SLO of {@code entries} was; {@code ""} otherwise. */
    static String headline(List<SuiteEntry> entries) {
        long count = entries.stream().mapToLong(entry -> entry.result().inconclusiveSlos().size()).sum();
        return count == 0 ? "" : ", " + count + (count == 1 ? " SLO" : " SLOs") + " inconclusive";
    }

    /** Each inconclusive SLO's reason, prefixed with its test, e.g. {@code "Reads.logins: p99 inconclusive: …"}. */
    static List<String> reasons(List<SuiteEntry> entries) {
        return entries.stream().flatMap(entry -> entry.result().inconclusiveSlos().stream()
                .map(SloOutcome::breach).map(reason -> entry.result().name() + ": " + reason)).toList();
    }
}
