package io.secrethub.perftests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Successes and errors of a fault suite in 100 ms buckets from its first operation, with the fault's events
 * (database stopped, back, …), printed as a per-second timeline; and the time throughput took to come back.
 */
final class FaultTimeline {

    private static final long BUCKET_NANOS = 100_000_000L;
    private static final int BUCKETS_PER_SECOND = 10;

    private final AtomicLong start = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLongArray successes;
    private final AtomicLongArray errors;
    private final Map<Long, String> events = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> errorTypes = new ConcurrentHashMap<>();
    private final Map<String, String> firstErrors = new ConcurrentHashMap<>();

    /** A timeline of at most {@code length}; later operations count in its last bucket. */
    FaultTimeline(Duration length) {
        int buckets = (int) Math.min(Integer.MAX_VALUE - 8, length.toNanos() / BUCKET_NANOS + 1);
        successes = new AtomicLongArray(buckets);
        errors = new AtomicLongArray(buckets);
    }

    /** Starts the clock (only the first call counts); true for that first call. */
    boolean start() {
        return start.compareAndSet(Long.MIN_VALUE, System.nanoTime());
    }

    boolean started() {
        return start.get() != Long.MIN_VALUE;
    }

    /** Nanoseconds since the start. */
    long now() {
        return System.nanoTime() - start.get();
    }

    void success() {
        successes.incrementAndGet(bucket(now()));
    }

    void error(Throwable e) {
        errors.incrementAndGet(bucket(now()));
        String type = e.getClass().getSimpleName();
        errorTypes.computeIfAbsent(type, t -> new LongAdder()).increment();
        firstErrors.putIfAbsent(type, String.valueOf(e.getMessage()));
    }

    /** Notes an event at the current time; returns that time (nanoseconds since the start). */
    long mark(String event) {
        long at = now();
        events.merge(at, event, (a, b) -> a + ", " + b);
        return at;
    }

    long totalErrors() {
        long n = 0;
        for (int i = 0; i < errors.length(); i++) {
            n += errors.get(i);
        }
        return n;
    }

    /** Errors by exception type, each with the first one's message. */
    List<String> errorSummary() {
        List<String> lines = new ArrayList<>();
        errorTypes.forEach((type, count) -> lines.add(count.sum() + " " + type + " (first: " + firstErrors.get(type)
                + ")"));
        lines.sort(null);
        return lines;
    }

    /** Median successes per second over the whole seconds in [{@code fromNanos}, {@code toNanos}). */
    double medianPerSecond(long fromNanos, long toNanos) {
        List<Long> perSecond = new ArrayList<>();
        for (long t = fromNanos; t + 1_000_000_000L <= toNanos; t += 1_000_000_000L) {
            perSecond.add(successesIn(t, t + 1_000_000_000L));
        }
        if (perSecond.isEmpty()) {
            return 0;
        }
        long[] sorted = perSecond.stream().mapToLong(Long::longValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    /**
     * How long after {@code fromNanos} throughput was back: the end of the first one-second window (sliding in
     * 100 ms steps, starting at or after {@code fromNanos}, ending by {@code untilNanos}) with at least
     * {@code perSecond} successes. Empty if there was none.
     */
    Optional<Duration> recoveredAfter(long fromNanos, long untilNanos, double perSecond) {
        long first = (fromNanos + BUCKET_NANOS - 1) / BUCKET_NANOS;
        for (long b = first; (b + BUCKETS_PER_SECOND) * BUCKET_NANOS <= untilNanos; b++) {
            long n = 0;
            for (long i = b; i < b + BUCKETS_PER_SECOND; i++) {
                n += successes.get((int) Math.min(i, successes.length() - 1));
            }
            if (n >= perSecond) {
                return Optional.of(Duration.ofNanos((b + BUCKETS_PER_SECOND) * BUCKET_NANOS - fromNanos));
            }
        }
        return Optional.empty();
    }

    long successesIn(long fromNanos, long toNanos) {
        long n = 0;
        for (long b = fromNanos / BUCKET_NANOS; b < toNanos / BUCKET_NANOS && b < successes.length(); b++) {
            n += successes.get((int) b);
        }
        return n;
    }

    long errorsIn(long fromNanos, long toNanos) {
        long n = 0;
        for (long b = fromNanos / BUCKET_NANOS; b < toNanos / BUCKET_NANOS && b < errors.length(); b++) {
            n += errors.get((int) b);
        }
        return n;
    }

    /** The per-second table up to {@code endNanos}, with each event in the second it happened. */
    String table(String title, long endNanos) {
        StringBuilder out = new StringBuilder(title).append('\n');
        out.append(String.format("   %5s  %7s  %6s  %s%n", "t (s)", "ops/s", "errors", "events"));
        for (long s = 0; s * 1_000_000_000L < endNanos; s++) {
            long from = s * 1_000_000_000L;
            long to = from + 1_000_000_000L;
            List<String> here = new ArrayList<>();
            events.forEach((at, what) -> {
                if (at >= from && at < to) {
                    here.add(String.format("%.1fs %s", at / 1e9, what));
                }
            });
            out.append(String.format("   %5d  %,7d  %,6d  %s%n", s, successesIn(from, to), errorsIn(from, to),
                    String.join("; ", here)));
        }
        return out.toString();
    }

    private int bucket(long nanos) {
        return (int) Math.max(0, Math.min(successes.length() - 1, nanos / BUCKET_NANOS));
    }

    @Override
    public String toString() {
        return "FaultTimeline" + Arrays.asList(events);
    }
}
