package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadTestResult;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one measurement against a reference measured the same way, next to it in time, and refuses to judge when
 * the reference itself is unhealthy: a reference that queued (fell behind its schedule, or whose latency is far
 * above its own service time) or that failed says more about the machine than about the code, and a ratio against
 * it can pass or fail by accident. A refusal fails the test with a message saying why, rather than passing quietly.
 * A comparison of tails that rests on too few samples is not judged either ({@link #enoughSamples}): it is printed
 * as inconclusive, with the counts, and not asserted.
 */
final class ReferenceCheck {

    /** An open-model reference this far behind schedule was not running at its rate. */
    static final Duration MAX_SCHEDULE_LAG = Duration.ofMillis(100);
    /** Latency from the intended start this many times the service time means the arrivals queued. */
    static final double MAX_LATENCY_OVER_SERVICE = 3.0;
    /** A closed-model reference whose p99 is this many times its median is too noisy to compare with. */
    static final double MAX_SPREAD = 5.0;
    /** Below this, ratios of tiny latencies are noise: both sides are given this much slack. */
    private static final Duration FLOOR = Duration.ofMillis(1);

    private ReferenceCheck() {
    }

    /** Why {@code reference} cannot serve as one; empty when it can. */
    static List<String> problems(LoadTestResult reference) {
        List<String> problems = new ArrayList<>();
        if (reference.errorCount() > 0) {
            problems.add(reference.errorCount() + " operations failed");
        }
        LatencyStats latency = reference.latency();
        if (reference.settings().openModel()) {
            if (reference.maxScheduleLag().compareTo(MAX_SCHEDULE_LAG) > 0) {
                problems.add("it fell " + ms(reference.maxScheduleLag()) + " behind its schedule of "
                        + Math.round(reference.settings().rate()) + "/s (limit " + ms(MAX_SCHEDULE_LAG) + ")");
            }
            long service = reference.serviceTime().p99Nanos();
            if (latency.p99Nanos() > MAX_LATENCY_OVER_SERVICE * service + FLOOR.toNanos()) {
                problems.add(String.format("its p99 %s is %.1fx its service time's p99 %s (limit %.0fx): arrivals"
                        + " queued", ms(latency.p99()), (double) latency.p99Nanos() / service,
                        ms(reference.serviceTime().p99()), MAX_LATENCY_OVER_SERVICE));
            }
        } else if (latency.p99Nanos() > MAX_SPREAD * latency.p50Nanos() + FLOOR.toNanos()) {
            problems.add(String.format("its p99 %s is %.1fx its median %s (limit %.0fx): too noisy",
                    ms(latency.p99()), (double) latency.p99Nanos() / latency.p50Nanos(), ms(latency.p50()),
                            MAX_SPREAD));
        }
        return problems;
    }

    /** Fails, naming the reference and why, when it is unhealthy. */
    static void requireHealthy(LoadTestResult reference, String comparison) {
        List<String> problems = problems(reference);
        if (!problems.isEmpty()) {
            fail("comparison refused (" + comparison + "): the reference " + reference.name() + " is unhealthy: "
                    + String.join("; ", problems) + ". The machine was too busy to measure a baseline; run again"
                    + " on a quieter machine, or lower the load (agents, rate) for this class.");
        }
    }

    /**
     * Checks {@code measured}'s {@code what} (p99, say) against {@code reference}'s, with the reference's health
     * checked first, and prints both.
     *
     * @return the ratio measured / reference
     */
    static double assertRatioAtMost(String label, String what, Duration reference, Duration measured,
            double maxRatio) {
        Duration referenceWithFloor = reference.compareTo(FLOOR) < 0 ? FLOOR : reference;
        double ratio = (double) measured.toNanos() / referenceWithFloor.toNanos();
        System.out.printf("[%s] %s: %s in the reference, %s measured (%.2fx; limit %.1fx)%n", label, what,
                ms(reference), ms(measured), ratio, maxRatio);
        assertThat(ratio).as("%s: %s measured / reference (%s vs %s)", label, what, ms(measured), ms(reference))
                .isLessThanOrEqualTo(maxRatio);
        return ratio;
    }

    /**
     * Whether every one of {@code results} has at least {@code minSamples} successful operations, so that a
     * comparison of their tail (a p99 ratio, say) rests on more than one or two of them: perf-junit's
     * {@code minSamples} rule ({@code @MaxP99(minSamples = …)}), for the comparisons a test makes in code. When one
     * has fewer, prints why the comparison is inconclusive (not gated) and how to get enough (the
     * {@code perf.scale} at which the smallest would reach the minimum), and returns false: the caller then skips
     * its assertion. Nothing is printed when there are enough.
     *
     * @param label the test's prefix for printed lines, e.g. {@code "lease scale"}
     * @param comparison what would be compared, with its figures, e.g. {@code "reads p99, quiet window 1 vs storm
     *     1: 3.10 ms vs 4.02 ms (1.30x)"}
     */
    static boolean enoughSamples(String label, String comparison, long minSamples, LoadTestResult... results) {
        LoadTestResult fewest = null;
        for (LoadTestResult result : results) {
            if (fewest == null || result.successCount() < fewest.successCount()) {
                fewest = result;
            }
        }
        if (fewest == null || fewest.successCount() >= minSamples) {
            return true;
        }
        System.out.printf("[%s] %s: inconclusive, not gated: %s had %,d successful operations, fewer than the %,d"
                + " this comparison needs%s%n", label, comparison, fewest.method(), fewest.successCount(), minSamples,
                scaleHint(fewest, minSamples));
        return false;
    }

    /** {@code " (perf.scale 0.7 or more)"}: where the same run would reach {@code minSamples}, if it scales. */
    private static String scaleHint(LoadTestResult result, long minSamples) {
        if (result.successCount() == 0) {
            return "";
        }
        double scale = result.settings().scale() * minSamples / result.successCount();
        return String.format(" (perf.scale %s or more)", BigDecimal.valueOf(scale).setScale(1, RoundingMode.UP)
                .stripTrailingZeros().toPlainString());
    }

    static String ms(Duration duration) {
        return String.format("%.2f ms", duration.toNanos() / 1e6);
    }
}
