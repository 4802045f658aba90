package io.secrethub.perf;

import java.util.Objects;

/**
 * How the load generator itself fared, so a figure that measures the generator rather than the system under test
 * says so. CPU shares are of all the processors the JVM may use over the measured wall time.
 *
 * @param runId {@code perf.run.id}: the same on every generator of one distributed run (default: one per JVM)
 * @param generatorId {@code perf.generator.id}: this generator among them (default: host name and process id)
 * @param processCpuPercent the whole JVM's CPU use (the generator and, when it runs in-process, the system under
 *     test); negative when the JVM does not say
 * @param agentCpuPercent the agents' threads' CPU use; negative when a thread kept no count (virtual threads)
 * @param behindSchedulePercent in the open model, how far behind schedule the run fell: the longest an arrival
 *     started late, as a share of the measured wall time; 0 in the closed model
 * @param bottleneck what made the generator the bottleneck, e.g. {@code 80% behind schedule (limit 10%,
 *     perf.generator.maxLag)}, or {@code ""} when it was not
 */
public record GeneratorHealth(
        String runId,
        String generatorId,
        double processCpuPercent,
        double agentCpuPercent,
        double behindSchedulePercent,
        String bottleneck) {

    /** For results read from files written before generator health existed. */
    public static final GeneratorHealth UNKNOWN = new GeneratorHealth("", "", -1, -1, 0, "");

    /** Checks the texts. */
    public GeneratorHealth {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(generatorId, "generatorId");
        Objects.requireNonNull(bottleneck, "bottleneck");
    }

    /** Whether the generator, not the system under test, limited the run. */
    public boolean wasBottleneck() {
        return !bottleneck.isEmpty();
    }
}
