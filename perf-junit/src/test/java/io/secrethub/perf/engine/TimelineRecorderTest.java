package io.secrethub.perf.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.LatencyTrend;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The timeline keeps one compressed histogram per interval for as long as a run lasts. A 10-minute soak showed the
 * heap after GC growing 18 MB a minute: each interval kept the whole uncompressed-size buffer it was encoded into.
 */
class TimelineRecorderTest {

    @Test
    void eachIntervalKeepsItsCompressedSizeNotTheEncodingBuffer() {
        TimelineRecorder recorder = new TimelineRecorder();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int intervals = 600; // a 10-minute run
        long compressedTotal = 0;
        Histogram interval = LatencySink.newHistogram();
        for (int i = 0; i < intervals; i++) {
            interval.reset();
            for (int n = 0; n < 2_000; n++) {
                interval.recordValue(random.nextLong(500_000, 5_000_000_000L)); // 0.5 ms to 5 s
            }
            compressedTotal += interval.encodeIntoCompressedByteBuffer(
                    java.nio.ByteBuffer.allocate(interval.getNeededByteBufferCapacity()));
            recorder.add("", i, i + 1, interval, 0);
        }
        long needed = interval.getNeededByteBufferCapacity();
        assertThat(recorder.retainedHistogramBytes()).as("bytes kept for %d intervals (compressed, they are %d;"
                + " the encoding buffer is %d each)", intervals, compressedTotal, needed).isEqualTo(compressedTotal);
        assertThat(compressedTotal).as("compression is what makes keeping them affordable")
                .isLessThan(needed * intervals / 4);

        // and what is kept still decodes: the trend compares the first and last thirds' exact percentiles
        LatencyTrend trend = recorder.trend("", 95);
        assertThat(trend.intervals()).isEqualTo(intervals);
        assertThat(trend.firstThirdNanos()).as("p95 of values spread evenly over 0.5 ms to 5 s")
                .isBetween(4_600_000_000L, 4_900_000_000L);
    }
}
