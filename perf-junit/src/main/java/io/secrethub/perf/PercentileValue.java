package io.secrethub.perf;

/**
 * One point of a latency distribution: {@code percentile} percent of the successful operations took at most
 * {@code valueNanos}.
 *
 * @param percentile 0 to 100
 * @param valueNanos the latency at that percentile, in nanoseconds
 */
public record PercentileValue(double percentile, long valueNanos) {
}
