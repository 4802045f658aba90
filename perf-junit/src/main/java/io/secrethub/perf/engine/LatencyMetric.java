package io.secrethub.perf.engine;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.HdrHistogram.Histogram;

/**
 * One latency series of a run (the method's latency, its service time, or a named operation): written by the
 * agents through {@link #sinkFor(int)}, read by one sampler through {@link #sampleInterval()}.
 */
final class LatencyMetric {

    private final String tag;
    private final RecorderLayout layout;
    private final AtomicReferenceArray<LatencySink> sinks;

    // Reader side: touched only under this object's lock, by the sampler and then by the coordinator.
    private final Histogram interval = LatencySink.newHistogram();
    private final Histogram total = LatencySink.newHistogram();
    private final Histogram scratch = LatencySink.newHistogram();

    LatencyMetric(String tag, RecorderLayout layout) {
        this.tag = tag;
        this.layout = layout;
        this.sinks = new AtomicReferenceArray<>(layout.slots());
    }

    /** The tag of this series in the {@code .hlog} file; {@code null} for the untagged whole-method latency. */
    String tag() {
        return tag;
    }

    /**
     * The recorder agent {@code agentId} writes to, created on first use so an operation only some agents run
     * costs memory only for them. Agents look it up once and keep it.
     */
    LatencySink sinkFor(int agentId) {
        int slot = layout.slotOf(agentId);
        LatencySink sink = sinks.get(slot);
        if (sink == null) {
            LatencySink created = layout.newSink();
            sink = sinks.compareAndSet(slot, null, created) ? created : sinks.get(slot);
        }
        return sink;
    }

    /**
     * Drains what every recorder gathered since the last call, adds it to the total and returns it. The returned
     * histogram is reused by the next call.
     */
    synchronized Histogram sampleInterval() {
        interval.reset();
        for (int slot = 0; slot < sinks.length(); slot++) {
            LatencySink sink = sinks.get(slot);
            if (sink != null) {
                sink.moveIntervalInto(scratch);
                interval.add(scratch);
            }
        }
        total.add(interval);
        return interval;
    }

    /** What the last {@link #sampleInterval()} drained. */
    synchronized Histogram lastInterval() {
        return interval;
    }

    /** Everything drained so far; complete once the sampler has taken its final sample. */
    synchronized Histogram total() {
        return total;
    }
}
