/**
 * Service level objectives: reading the SLO annotations of a test method into {@link io.secrethub.perf.slo.Slo}s,
 * evaluating them against what was measured, and phrasing the breaches as one failure message.
 */
package io.secrethub.perf.slo;
