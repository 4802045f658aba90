package io.secrethub.perf.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.perf.gate.PairedComparison.Metric;
import io.secrethub.perf.gate.PairedComparison.Row;
import io.secrethub.perf.gate.PairedComparison.Sample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {

    /** A machine whose speed moves by a third between rounds: base and head move together. */
    private static final double[] MACHINE = {1.0, 0.67, 1.1, 0.8, 0.95};

    @Test
    void aWholeRunMovingTogetherCancelsInThePairs() {
        List<Sample> base = throughputs("reads", 1000, 1.0);
        List<Sample> head = throughputs("reads", 1000, 1.0);

        PairedComparison comparison = PairedComparison.of(base, head, 10);

        assertThat(comparison.regressions()).isEmpty();
        assertThat(comparison.rows()).singleElement().satisfies(row -> {
            assertThat(row.changes()).containsOnly(0.0);
            assertThat(row.baseMedian()).isEqualTo(950);
        });
    }

    @Test
    void aSlowerHeadInEveryRoundIsARegressionNamedInItsLine() {
        PairedComparison comparison = PairedComparison.of(throughputs("reads", 1000, 1.0),
                throughputs("reads", 1000, 0.8), 10);

        assertThat(comparison.regressions()).singleElement().satisfies(row -> {
            assertThat(row.medianChange()).isCloseTo(-20, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(row.line()).startsWith("REGRESSION reads throughput: 950/s -> 760/s, median change -20.0%");
        });
    }

    @Test
    void oneBadRoundIsNotARegressionButAMajorityIs() {
        List<Sample> base = throughputs("reads", 1000, 1.0);
        List<Sample> oneBad = new ArrayList<>(throughputs("reads", 1000, 1.0));
        oneBad.set(1, new Sample("reads", Metric.THROUGHPUT, 2, 300));
        assertThat(PairedComparison.of(base, oneBad, 10).regressions()).isEmpty();

        List<Sample> threeBad = new ArrayList<>(oneBad);
        threeBad.set(2, new Sample("reads", Metric.THROUGHPUT, 3, 500));
        threeBad.set(3, new Sample("reads", Metric.THROUGHPUT, 4, 500));
        assertThat(PairedComparison.of(base, threeBad, 10).regressions()).hasSize(1);
    }

    @Test
    void latencyRegressesUpwardsThroughputDownwards() {
        List<Sample> base = List.of(new Sample("reads", Metric.P95, 1, 10e6),
                new Sample("reads", Metric.THROUGHPUT, 1, 1000));
        List<Sample> faster = List.of(new Sample("reads", Metric.P95, 1, 5e6),
                new Sample("reads", Metric.THROUGHPUT, 1, 2000));
        List<Sample> slower = List.of(new Sample("reads", Metric.P95, 1, 12e6),
                new Sample("reads", Metric.THROUGHPUT, 1, 850));

        assertThat(PairedComparison.of(base, faster, 10).regressions()).isEmpty();
        assertThat(PairedComparison.of(base, slower, 10).regressions()).extracting(Row::metric)
                .containsExactly(Metric.THROUGHPUT, Metric.P95);
    }

    @Test
    void figuresOnlyOneSideMeasuredAreNotCompared() {
        PairedComparison comparison = PairedComparison.of(throughputs("old", 100, 1.0),
                throughputs("new", 100, 0.1), 10);

        assertThat(comparison.rows()).isEmpty();
    }

    @Test
    void roundsOnlyOneSideCompletedAreLeftOut() {
        List<Sample> head = throughputs("reads", 1000, 1.0).subList(0, 2);

        assertThat(PairedComparison.of(throughputs("reads", 1000, 1.0), head, 10).rows())
                .singleElement().satisfies(row -> assertThat(row.changes()).hasSize(2));
    }

    @Test
    void badToleranceAndMetricsAreRefusedByName() {
        assertThatThrownBy(() -> PairedComparison.of(List.of(), List.of(), -1))
                .hasMessageContaining("tolerance must be a percentage >= 0, was -1");
        assertThatThrownBy(() -> Metric.of("p42"))
                .hasMessage("unknown metric 'p42': expected one of [throughput, p50, p95, p99, mean]");
        assertThat(Metric.of(" P95")).isEqualTo(Metric.P95);
    }

    private static List<Sample> throughputs(String figure, double value, double factor) {
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= MACHINE.length; round++) {
            samples.add(new Sample(figure, Metric.THROUGHPUT, round, value * factor * MACHINE[round - 1]));
        }
        return samples;
    }
}
