/**
 * Load tests as ordinary JUnit 5 test methods.
 *
 * <pre>{@code
 * @LoadTest(agents = 100, iterations = 10, warmup = "2")   // closed model: each agent runs the method 10 times
 * @MaxP95("50ms") @MaxP99("200ms")                         // latency SLOs
 * @MinThroughput(500)                                      // successful operations per second
 * @MaxErrorRate(0.1)                                       // percent of failed operations
 * void secretReads(Agent agent) throws Exception {
 *     String token = (String) agent.state().get("token");  // stored by an earlier method or a @BeforeAgent
 *     agent.time("read", () -> client.read(token, "app/db/password"));
 * }
 *
 * @AfterEach
 * void check(LoadTestResult result) {
 *     PerfAssertions.assertThat(result).hasNoErrors();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link io.secrethub.perf.LoadTest} makes a method a load test and chooses the workload model;</li>
 *   <li>{@link io.secrethub.perf.MaxP50}, {@link io.secrethub.perf.MaxP95}, {@link io.secrethub.perf.MaxP99},
 *       {@link io.secrethub.perf.MaxPercentile}, {@link io.secrethub.perf.MaxMeanLatency},
 *       {@link io.secrethub.perf.MinThroughput} and {@link io.secrethub.perf.MaxErrorRate} set its SLOs, for the
 *       whole method or one named operation; a breach fails the test;</li>
 *   <li>{@link io.secrethub.perf.Agent} is the running agent, {@link io.secrethub.perf.BeforeAgent} its set-up;</li>
 *   <li>{@link io.secrethub.perf.LoadTestResult} is what was measured, for {@code @AfterEach} methods and
 *       {@link io.secrethub.perf.PerfAssertions}.</li>
 * </ul>
 *
 * <p>Reports go to {@code target/perf-results/} ({@code perf.results.dir}): a JSON file and an HdrHistogram
 * interval log per method, and {@code run.json} and {@code summary.md} per run; tables are printed after each
 * method and at the end of the run.
 *
 * <p>Configuration parameters ({@code -D…} or {@code junit-platform.properties}): {@code perf.<attribute>},
 * {@code perf.<SimpleClassName>.<attribute>} and {@code perf.<fully.qualified.ClassName>.<attribute>} override a
 * {@code @LoadTest} attribute; {@code perf.scale}, {@code perf.seed}, {@code perf.threads}
 * ({@link io.secrethub.perf.ThreadMode}), {@code perf.results.dir}, {@code perf.progress.interval},
 * {@code perf.report.console}, {@code perf.baseline}, {@code perf.baseline.tolerance} and
 * {@code perf.baseline.write} tune the run.
 */
package io.secrethub.perf;
