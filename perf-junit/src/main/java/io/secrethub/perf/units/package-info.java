/**
 * Text forms of the numbers a load test deals in: durations as users write them in annotations and
 * configuration ({@code "250us"}, {@code "1.5s"}), and latencies, rates and percentages as reports print them.
 * Shared by configuration, SLO evaluation and reports so that every message speaks the same units.
 */
package io.secrethub.perf.units;
