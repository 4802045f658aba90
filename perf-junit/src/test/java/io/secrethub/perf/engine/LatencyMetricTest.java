package io.secrethub.perf.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Recording loses nothing, in either layout, while a reader drains intervals concurrently. */
class LatencyMetricTest {

    @Test
    void fewAgentsGetARecorderEachManyShareABoundedNumberOfStripes() {
        RecorderLayout few = RecorderLayout.forAgents(RecorderLayout.PER_AGENT_MAX_AGENTS);
        assertThat(few.slots()).isEqualTo(RecorderLayout.PER_AGENT_MAX_AGENTS);
        assertThat(few.slotOf(7)).isEqualTo(7);

        RecorderLayout many = RecorderLayout.forAgents(10_000);
        assertThat(many.slots()).isBetween(4, 16);
        assertThat(many.slotOf(9_999)).isBetween(0, many.slots() - 1);
    }

    @Test
    void perAgentRecordersLoseNothingWhileSampled() throws InterruptedException {
        assertNothingLost(4);
    }

    @Test
    void sharedStripesLoseNothingWhileSampled() throws InterruptedException {
        assertNothingLost(64);
    }

    @Test
    void latenciesBeyondTheRangeAreClampedNotLost() {
        LatencyMetric metric = new LatencyMetric("latency", RecorderLayout.forAgents(1));

        metric.sinkFor(0).record(TimeUnit.DAYS.toNanos(2));
        metric.sampleInterval();

        assertThat(metric.total().getTotalCount()).isEqualTo(1);
        assertThat(metric.total().getMaxValue()).isGreaterThanOrEqualTo(LatencySink.HIGHEST_TRACKABLE_NANOS);
    }

    private static void assertNothingLost(int agents) throws InterruptedException {
        int perAgent = 20_000;
        LatencyMetric metric = new LatencyMetric("latency", RecorderLayout.forAgents(agents));
        CountDownLatch done = new CountDownLatch(agents);
        AtomicBoolean writing = new AtomicBoolean(true);
        long[] sampled = new long[1];
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                sampled[0] += metric.sampleInterval().getTotalCount();
            }
        });
        reader.start();
        for (int agent = 0; agent < agents; agent++) {
            LatencySink sink = metric.sinkFor(agent);
            Thread writer = new Thread(() -> {
                for (int i = 1; i <= perAgent; i++) {
                    sink.record(i);
                }
                done.countDown();
            });
            writer.start();
        }
        done.await();
        writing.set(false);
        reader.join();
        sampled[0] += metric.sampleInterval().getTotalCount();

        Histogram total = metric.total();
        assertThat(total.getTotalCount()).isEqualTo((long) agents * perAgent).isEqualTo(sampled[0]);
        assertThat(total.getMaxValue()).isBetween((long) perAgent, (long) (perAgent * 1.001));
        assertThat(total.getMinValue()).isEqualTo(1);
    }
}
