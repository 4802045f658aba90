package io.secrethub.perf.engine;

import java.lang.management.ManagementFactory;

/**
 * CPU time, for the generator's health: each agent reads its thread's at the start and the end of its measured
 * loop, the coordinator the whole process's at the measured start and end; never per invocation.
 */
final class CpuCounter {

    /** What a read returns when the JVM keeps no count (a virtual thread, or the counters are off). */
    static final long UNAVAILABLE = -1;

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_CPU = threadCpu();
    /** Looked up once: the platform's first MXBean lookups take long enough to eat into a short run's timeout. */
    private static final com.sun.management.OperatingSystemMXBean OS =
            ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os : null;

    private CpuCounter() {
    }

    /** The current thread's CPU time so far in nanoseconds, or {@link #UNAVAILABLE}. */
    static long currentThreadNanos() {
        return THREAD_CPU ? Math.max(UNAVAILABLE, THREADS.getCurrentThreadCpuTime()) : UNAVAILABLE;
    }

    /** The whole process's CPU time so far in nanoseconds, or {@link #UNAVAILABLE}. */
    static long processNanos() {
        return OS == null ? UNAVAILABLE : Math.max(UNAVAILABLE, OS.getProcessCpuTime());
    }

    /** Loads the counters' MXBeans now, before a run's clock starts. */
    static void prepare() {
        processNanos();
    }

    private static boolean threadCpu() {
        try {
            return THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException unsupported) {
            return false;
        }
    }
}
