/**
 * The regression gate: {@code perf.baseline=<file>} compares each load-test method with a stored run and fails
 * it when p50, p95, p99 or mean latency rose, throughput fell, or the error rate rose by more than
 * {@code perf.baseline.tolerance} percent (default 20); {@code perf.baseline.write=true} records the run into the
 * file instead, merging per method.
 */
package io.secrethub.perf.baseline;
