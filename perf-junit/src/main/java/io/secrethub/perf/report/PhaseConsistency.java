package io.secrethub.perf.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * "Consistent latencies across phases": the load-test methods of one class are phases of one scenario (log in,
 * then read, then rotate), so a phase whose p95 is more than {@value #MAX_RATIO}x its class's fastest phase is
 * flagged in the suite reports. A flag is a prompt to look, not a failure.
 */
final class PhaseConsistency {

    /** How many times the fastest phase's p95 a phase may take before it is flagged. */
    static final double MAX_RATIO = 2;

    private PhaseConsistency() {
    }

    /**
     * One verdict per entry, in order: {@code "-"} for a class with one measured phase, {@code "ok"} within
     * {@value #MAX_RATIO}x of the class's fastest p95, else e.g. {@code "7.9x slower"}.
     */
    static List<String> verdicts(List<SuiteEntry> entries) {
        Map<String, Long> fastest = new HashMap<>();
        Map<String, Integer> phases = new HashMap<>();
        for (SuiteEntry entry : entries) {
            long p95 = entry.result().latency().p95Nanos();
            if (entry.result().latency().count() > 0 && p95 > 0) {
                fastest.merge(entry.result().testClass(), p95, Math::min);
                phases.merge(entry.result().testClass(), 1, Integer::sum);
            }
        }
        List<String> verdicts = new ArrayList<>(entries.size());
        for (SuiteEntry entry : entries) {
            String testClass = entry.result().testClass();
            long p95 = entry.result().latency().p95Nanos();
            if (phases.getOrDefault(testClass, 0) < 2 || entry.result().latency().count() == 0 || p95 == 0) {
                verdicts.add("-");
                continue;
            }
            double ratio = (double) p95 / fastest.get(testClass);
            verdicts.add(ratio > MAX_RATIO ? String.format(Locale.ROOT, "%.1fx slower", ratio) : "ok");
        }
        return verdicts;
    }
}
