/**
 * Reports of load tests: the console table after each method ({@link io.secrethub.perf.report.ConsoleReport}),
 * the suite table, {@code run.json} and {@code summary.md} at the end of a run
 * ({@link io.secrethub.perf.report.SuiteReportListener}), a JSON file and an HdrHistogram interval log per method,
 * and the headline figures as JUnit report entries.
 *
 * <p>The suite listener learns of results only through the report entries of its own launcher's execution: the
 * engine publishes the path of each method's JSON file as entry {@code perf.result}. Runs of fixture classes
 * through the JUnit Platform Test Kit, inside the same JVM, deliver their entries to the Test Kit alone, so they
 * never appear in the outer run's suite table or files.
 */
package io.secrethub.perf.report;
