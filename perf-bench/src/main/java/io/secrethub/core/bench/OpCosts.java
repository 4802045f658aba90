package io.secrethub.core.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one operation of a phase costs, beside its throughput: CPU time in this JVM and in PostgreSQL's processes,
 * database round trips, and bytes allocated. Snapshot before the measured part, snapshot after, divide by the
 * operations done in between.
 *
 * <ul>
 *   <li>JVM CPU: the process's CPU time ({@code OperatingSystemMXBean}); it includes the benchmark's own caller
 *       loop, a few hundred nanoseconds per operation, and the JIT's compiler threads. The JIT's compile time in
 *       the window ({@code CompilationMXBean}: elapsed time summed over the compiler threads, not CPU) is printed
 *       beside it: on 2 busy cores the compiler gets little CPU and is still compiling the hot path long after the
 *       warm-up began, so a window with seconds of it was not measuring steady code.</li>
 *   <li>PostgreSQL CPU: user + system time of every process whose command is {@code postgres} or starts with
 *       {@code postgres:}, and of their exited children, from {@code /proc/PID/stat} (clock ticks of 10 ms, so
 *       meaningful over seconds). Linux only, and only for a server on this machine; otherwise n/a. Everything
 *       the server did in the window counts, including autovacuum and other databases' sessions.</li>
 *   <li>Round trips: statements executed plus commits and rollbacks on the pool's connections, counted by
 *       {@link CountingConnections}.</li>
 *   <li>Allocated bytes: the sum over this JVM's threads of {@code ThreadMXBean.getThreadAllocatedBytes}; threads
 *       that end mid-phase are not counted.</li>
 * </ul>
 */
final class OpCosts {

    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ is 100 on Linux
    private static final LongAdder ROUND_TRIPS = new LongAdder();

    /** One snapshot of the four counters. */
    record Snapshot(long jvmCpuNanos, long postgresCpuNanos, long roundTrips, Map<Long, Long> allocated,
            long jitMillis) {

        static Snapshot now() {
            return new Snapshot(jvmCpu(), postgresCpu(), ROUND_TRIPS.sum(), allocatedByThread(),
                    ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
        }

        /** The cost per operation between this snapshot and {@code later}. */
        String perOp(Snapshot later, long ops) {
            if (ops == 0) {
                return "no operations";
            }
            long bytes = 0;
            for (Map.Entry<Long, Long> e : later.allocated.entrySet()) {
                bytes += e.getValue() - allocated.getOrDefault(e.getKey(), 0L);
            }
            String pg = postgresCpuNanos < 0 || later.postgresCpuNanos < 0 ? "n/a"
                    : String.format("%.0f µs", (later.postgresCpuNanos - postgresCpuNanos) / 1e3 / ops);
            return String.format("per op: JVM CPU %.0f µs, PostgreSQL CPU %s, %.2f round trips, %.1f KB allocated;"
                    + " JIT compiling %,d ms in the window", (later.jvmCpuNanos - jvmCpuNanos) / 1e3 / ops, pg,
                    (later.roundTrips - roundTrips) / (double) ops, bytes / 1024.0 / ops, later.jitMillis - jitMillis);
        }
    }

    private OpCosts() {
    }

    /** Counts one round trip; {@link CountingConnections} calls it. */
    static void roundTrip() {
        ROUND_TRIPS.increment();
    }

    private static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Map<Long, Long> allocatedByThread() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byId = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byId.put(ids[i], bytes[i]);
            }
        }
        return byId;
    }

    /** The CPU time of PostgreSQL's processes on this machine, or -1 when /proc cannot tell. */
    static long postgresCpu() {
        long ticks = 0;
        boolean found = false;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName()))) {
            for (Path proc : procs) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"));
                } catch (IOException | RuntimeException gone) {
                    continue; // exited while we looked
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open) {
                    continue;
                }
                String command = stat.substring(open + 1, close);
                if (!command.equals("postgres") && !command.startsWith("postgres:")) {
                    continue;
                }
                // after ") ": state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17), fields 11-14 of the
                // rest; the children's times carry the backends that exited (the postmaster reaps them)
                String[] rest = stat.substring(close + 2).split(" ");
                for (int field = 11; field <= 14; field++) {
                    ticks += Long.parseLong(rest[field]);
                }
                found = true;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return found ? ticks * CLOCK_TICK_NANOS : -1;
    }

    private static boolean isPid(Path name) {
        String s = name.toString();
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }
}
