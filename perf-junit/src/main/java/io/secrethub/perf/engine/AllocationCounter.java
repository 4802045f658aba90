package io.secrethub.perf.engine;

import java.lang.management.ManagementFactory;

/**
 * The JVM's count of heap bytes the current thread allocated (HotSpot's TLAB accounting, read through
 * {@code com.sun.management.ThreadMXBean}): read by each agent at the start and the end of its measured loop, never
 * per invocation.
 */
final class AllocationCounter {

    /** What a thread reads when the JVM keeps no count for it (a virtual thread, or the counters are off). */
    static final long UNAVAILABLE = -1;

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationCounter() {
    }

    /** Bytes the current thread allocated so far, or {@link #UNAVAILABLE}. */
    static long currentThreadBytes() {
        return THREADS == null ? UNAVAILABLE : Math.max(UNAVAILABLE, THREADS.getCurrentThreadAllocatedBytes());
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
            return threads;
        }
        return null;
    }
}
