/**
 * The load-test runner behind {@link io.secrethub.perf.LoadTest}.
 *
 * <p>{@link io.secrethub.perf.engine.LoadTestExtension} intercepts the test method, skips JUnit's own invocation
 * and runs the method itself on its agents ({@link io.secrethub.perf.engine.LoadRunner},
 * {@link io.secrethub.perf.engine.AgentWorker}). Agents record into HdrHistogram recorders
 * ({@link io.secrethub.perf.engine.LatencyMetric}) without locks or allocation; one sampler thread
 * ({@link io.secrethub.perf.engine.IntervalSampler}) drains interval histograms for the {@code .hlog} file, the
 * progress line and the totals the result is built from.
 */
package io.secrethub.perf.engine;
