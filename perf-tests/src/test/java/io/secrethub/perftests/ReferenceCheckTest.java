package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LatencyStats;
import io.secrethub.perf.LoadSettings;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.OperationStats;
import io.secrethub.perf.ThreadMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample rule every comparison of tails in this suite shares, on hand-made results (no load runs). */
class ReferenceCheckTest {

    @Test
    void enoughSamplesOnEverySideIsSilent() {
        String printed = printed(() -> assertThat(ReferenceCheck.enoughSamples("lease scale", "reads p99", 20_000,
                result("quiet", 30_000, 1), result("storm", 20_000, 1))).isTrue());

        assertThat(printed).isEmpty();
    }

    @Test
    void theSmallestSideBelowTheMinimumMakesTheComparisonInconclusiveAndSaysWhatWouldSuffice() {
        String printed = printed(() -> assertThat(ReferenceCheck.enoughSamples("lease scale",
                "reads p99, quiet window 1 vs storm 1: 3.10 ms vs 4.02 ms (1.30x)", 20_000,
                result("readsWithoutExpiryStorm", 9_000, 0.3), result("readsDuringExpiryStorm", 9_120, 0.3)))
                .isFalse());

        assertThat(printed).isEqualTo("[lease scale] reads p99, quiet window 1 vs storm 1: 3.10 ms vs 4.02 ms"
                + " (1.30x): inconclusive, not gated: readsWithoutExpiryStorm had 9,000 successful operations, fewer"
                + " than the 20,000 this comparison needs (perf.scale 0.7 or more)" + System.lineSeparator());
    }

    private static String printed(Runnable action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static LoadTestResult result(String method, long successes, double scale) {
        LoadSettings settings = new LoadSettings(50, 1, Duration.ofSeconds(2), 5_000, 0, Duration.ofSeconds(1),
                Duration.ZERO, Duration.ZERO, scale, 42, ThreadMode.PLATFORM);
        LatencyStats latency = new LatencyStats(successes, 2e6, 1_000_000, 2_000_000, 2_500_000, 2_800_000, 3_100_000,
                4_000_000, 5_000_000);
        OperationStats total = new OperationStats(method, successes, 0, successes / 2.0, 0, latency, List.of());
        return new LoadTestResult("io.secrethub.perftests.LeaseScaleLoadTest", method, settings, Instant.EPOCH,
                Duration.ofSeconds(2), total, latency, List.of(), Duration.ZERO, List.of());
    }
}
