package io.secrethub.perf.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * The SQL statements executed through the pools of {@code @PostgresDatabase} in this JVM ({@code @MaxQueriesPerOp}):
 * the pools' connections count each execution here; the load runner reads the count at the measured start and end.
 * Internal, public only for {@code io.secrethub.perf.db}.
 */
public final class StatementCounter {

    /** What the count reads when no counting pool was ever opened in this JVM. */
    static final long UNAVAILABLE = -1;

    private static final LongAdder STATEMENTS = new LongAdder();
    private static volatile boolean active;

    private StatementCounter() {
    }

    /** A counting pool exists: from now on the count means something. */
    public static void activate() {
        active = true;
    }

    /** One statement was executed. */
    public static void increment() {
        STATEMENTS.increment();
    }

    /** The statements so far, or {@link #UNAVAILABLE} when no counting pool was opened. */
    static long count() {
        return active ? STATEMENTS.sum() : UNAVAILABLE;
    }
}
