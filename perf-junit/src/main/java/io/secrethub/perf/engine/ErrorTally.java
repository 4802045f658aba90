package io.secrethub.perf.engine;

import io.secrethub.perf.ErrorSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failed operations counted by exception type, keeping the first exception of each type for its stack trace. */
final class ErrorTally {

    private final ConcurrentHashMap<Class<?>, TypeTally> byType = new ConcurrentHashMap<>();

    /** Counts one failure. Allocates only for the first failure of a type. */
    void record(Throwable failure) {
        TypeTally tally = byType.get(failure.getClass());
        if (tally == null) {
            tally = byType.computeIfAbsent(failure.getClass(), type -> new TypeTally(failure));
        }
        tally.count.increment();
    }

    /** All failures counted so far. */
    long total() {
        long total = 0;
        for (TypeTally tally : byType.values()) {
            total += tally.count.sum();
        }
        return total;
    }

    /** The failures by type, most frequent first. */
    List<ErrorSummary> summaries() {
        return byType.values().stream()
                .map(TypeTally::summary)
                .sorted(Comparator.comparingLong(ErrorSummary::count).reversed().thenComparing(ErrorSummary::type))
                .toList();
    }

    /** The first exception of each type, most frequent type first: attached to a failure so IDEs show them. */
    List<Throwable> firstFailures() {
        return byType.values().stream()
                .sorted(Comparator.comparingLong((TypeTally tally) -> tally.count.sum()).reversed())
                .map(tally -> tally.first)
                .toList();
    }

    private static final class TypeTally {
        final Throwable first;
        final LongAdder count = new LongAdder();

        TypeTally(Throwable first) {
            this.first = first;
        }

        ErrorSummary summary() {
            StringWriter trace = new StringWriter();
            first.printStackTrace(new PrintWriter(trace));
            String message = first.getMessage() == null ? "" : first.getMessage();
            return new ErrorSummary(first.getClass().getName(), count.sum(), message, trace.toString());
        }
    }
}
