package io.secrethub.perf.engine;

/**
 * How agents map onto latency recorders, per metric.
 *
 * <p>Two constraints pull against each other. Framework overhead: a no-op load test must run many millions of
 * invocations per second, which only a recorder owned by a single writer allows (a {@code SingleWriterRecorder}
 * costs two uncontended atomic increments per value, a shared {@code Recorder} several contended ones). Scale:
 * each recorder holds two histograms of about 270 KB (1 ns to 1 h at three significant digits), so one per agent
 * would need 5 GB for 10,000 agents, against a 512 MB heap.
 *
 * <p>So: up to {@value #PER_AGENT_MAX_AGENTS} agents, each agent gets its own single-writer recorder (at most
 * about 9 MB per metric). Beyond that, agents share a bounded number of concurrent recorder stripes, agent
 * {@code i} on stripe {@code i % stripes}; with twice as many stripes as cores, threads running at the same
 * moment rarely share one, and memory stays at most 16 × 540 KB per metric however many agents there are.
 * Interval histograms are drained from every recorder by one reader, so neither layout keeps a per-agent total.
 */
final class RecorderLayout {

    /** The most agents that still get a recorder each. */
    static final int PER_AGENT_MAX_AGENTS = 16;

    private static final int MIN_STRIPES = 4;
    private static final int MAX_STRIPES = 16;

    private final int slots;
    private final boolean perAgent;

    private RecorderLayout(int slots, boolean perAgent) {
        this.slots = slots;
        this.perAgent = perAgent;
    }

    /** The layout for a run with {@code agents} agents. */
    static RecorderLayout forAgents(int agents) {
        if (agents <= PER_AGENT_MAX_AGENTS) {
            return new RecorderLayout(agents, true);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return new RecorderLayout(Math.min(MAX_STRIPES, Math.max(MIN_STRIPES, 2 * cores)), false);
    }

    /** How many recorders a metric has at most. */
    int slots() {
        return slots;
    }

    /** The recorder slot of agent {@code agentId}. */
    int slotOf(int agentId) {
        return perAgent ? agentId : agentId % slots;
    }

    /** A recorder fit for this layout's number of writers. */
    LatencySink newSink() {
        return perAgent ? LatencySink.singleWriter() : LatencySink.shared();
    }
}
