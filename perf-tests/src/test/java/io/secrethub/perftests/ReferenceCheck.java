package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadTestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one measurement against a reference measured the same way, next to it in time, and refuses to judge when
 * the reference itself is unhealthy: a reference that queued (fell behind its schedule, or whose latency is far
 * above its own service time) or that failed says more about the machine than about the code, and a ratio against
 * it can pass or fail by accident. A refusal fails the test with a message saying why, rather than passing quietly.
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

    static String ms(Duration duration) {
        return String.format("%.2f ms", duration.toNanos() / 1e6);
    }
}
