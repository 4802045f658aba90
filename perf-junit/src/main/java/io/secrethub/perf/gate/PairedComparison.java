package io.secrethub.perf.gate;

import io.secrethub.perf.units.Durations;
import io.secrethub.perf.units.Figures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict of a paired gate: base and head measured in alternating rounds, each figure of head divided by the
 * same figure of base <em>in the same round</em>, and a figure regressed only when the median of those per-round
 * changes is beyond the tolerance.
 *
 * <p>Pairing is what makes the gate trustworthy on a noisy machine: what moves a whole run (the host's other load,
 * the JIT's progress, the database's state) moves both sides of a round alike and cancels in the ratio, while a
 * median of several rounds ignores one unlucky round. A regression must therefore show in more than half of the
 * rounds, each time against a base measured seconds apart.
 *
 * @param tolerancePercent how far the median change may go the wrong way
 * @param rows one per compared figure, sorted by figure name and metric
 */
public record PairedComparison(double tolerancePercent, List<Row> rows) {

    /** A figure the gate compares, and which way is worse. */
    public enum Metric {
        THROUGHPUT("throughput", false),
        P50("p50", true),
        P95("p95", true),
        P99("p99", true),
        MEAN("mean", true);

        private final String label;
        private final boolean higherIsWorse;

        Metric(String label, boolean higherIsWorse) {
            this.label = label;
            this.higherIsWorse = higherIsWorse;
        }

        /** E.g. {@code p95}. */
        public String label() {
            return label;
        }

        /** Whether a rise of this figure is a regression (latency) or a fall is (throughput). */
        public boolean higherIsWorse() {
            return higherIsWorse;
        }

        /** The metric named {@code label} ({@code throughput}, {@code p50}, {@code p95}, {@code p99}, {@code mean}). */
        public static Metric of(String label) {
            for (Metric metric : values()) {
                if (metric.label.equalsIgnoreCase(label.trim())) {
                    return metric;
                }
            }
            throw new IllegalArgumentException("unknown metric '" + label + "': expected one of "
                    + Arrays.stream(values()).map(Metric::label).toList());
        }

        String format(double value) {
            return this == THROUGHPUT ? Figures.rate(value) : Durations.format(value);
        }
    }

    /**
     * One figure of one round, on one side.
     *
     * @param figure e.g. {@code AgentLoadTest.secretReads} or {@code AgentLoadTest.mixedWorkload read}
     * @param metric which figure
     * @param round the round it was measured in, from 1
     * @param value throughput per second, or latency in nanoseconds
     */
    public record Sample(String figure, Metric metric, int round, double value) {
    }

    /**
     * One compared figure.
     *
     * @param figure what was measured
     * @param metric which figure of it
     * @param baseMedian the median of base's rounds
     * @param headMedian the median of head's rounds
     * @param changes head against base in each round, in percent (positive: head's figure is higher)
     * @param medianChange the median of {@code changes}
     * @param regressed whether {@code medianChange} went the wrong way beyond the tolerance
     */
    public record Row(String figure, Metric metric, double baseMedian, double headMedian, List<Double> changes,
            double medianChange, boolean regressed) {

        public Row {
            changes = List.copyOf(changes);
        }

        /** One line: {@code REGRESSION AgentLoadTest.secretReads throughput: 18.1k/s -> 14.2k/s, -21.3% (...)}. */
        public String line() {
            return String.format(Locale.ROOT, "%-10s %s %s: %s -> %s, median change %s (rounds: %s)",
                    regressed ? "REGRESSION" : "ok", figure, metric.label(), metric.format(baseMedian),
                    metric.format(headMedian), signed(medianChange),
                    String.join(", ", changes.stream().map(PairedComparison::signed).toList()));
        }
    }

    public PairedComparison {
        rows = List.copyOf(rows);
    }

    /**
     * Pairs {@code base} and {@code head} by figure, metric and round. A figure that only one side measured is not
     * compared (a new or removed test); a round that only one side completed is left out of that figure's pairs.
     */
    public static PairedComparison of(List<Sample> base, List<Sample> head, double tolerancePercent) {
        if (!(tolerancePercent >= 0)) {
            throw new IllegalArgumentException("tolerance must be a percentage >= 0, was " + tolerancePercent);
        }
        Map<Key, Map<Integer, Double>> headByKey = byKey(head);
        List<Row> rows = new ArrayList<>();
        byKey(base).forEach((key, baseRounds) -> {
            Map<Integer, Double> headRounds = headByKey.getOrDefault(key, Map.of());
            List<Double> baseValues = new ArrayList<>();
            List<Double> headValues = new ArrayList<>();
            List<Double> changes = new ArrayList<>();
            baseRounds.forEach((round, baseValue) -> {
                Double headValue = headRounds.get(round);
                if (headValue != null && baseValue > 0) {
                    baseValues.add(baseValue);
                    headValues.add(headValue);
                    changes.add((headValue - baseValue) * 100 / baseValue);
                }
            });
            if (!changes.isEmpty()) {
                double medianChange = Figures.median(changes);
                boolean regressed = key.metric().higherIsWorse()
                        ? medianChange > tolerancePercent : medianChange < -tolerancePercent;
                rows.add(new Row(key.figure(), key.metric(), Figures.median(baseValues), Figures.median(headValues),
                        changes, medianChange, regressed));
            }
        });
        return new PairedComparison(tolerancePercent, rows);
    }

    /** The rows that regressed. */
    public List<Row> regressions() {
        return rows.stream().filter(Row::regressed).toList();
    }

    /** A figure's metric; rows sort by figure, then metric in declaration order, so a figure's rows stay together. */
    private record Key(String figure, Metric metric) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::figure).thenComparing(Key::metric);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    /** Each figure's metric, with its value per round, in round order. */
    private static Map<Key, Map<Integer, Double>> byKey(List<Sample> samples) {
        Map<Key, Map<Integer, Double>> byKey = new TreeMap<>();
        for (Sample sample : samples) {
            byKey.computeIfAbsent(new Key(sample.figure(), sample.metric()), k -> new TreeMap<>())
                    .put(sample.round(), sample.value());
        }
        return byKey;
    }

    private static String signed(double percent) {
        return String.format(Locale.ROOT, "%+.1f%%", percent);
    }
}
