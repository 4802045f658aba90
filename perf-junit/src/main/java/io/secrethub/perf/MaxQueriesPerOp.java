package io.secrethub.perf;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Budget: the SQL statements executed per invocation of the method must not exceed {@link #value()}, on average
 * over the measured part. Like allocation, the figure does not depend on the machine's speed, so it catches an
 * N+1 query on a noisy CI machine.
 *
 * <p>Counted through the {@code DataSource} that {@link io.secrethub.perf.db.PostgresDatabase @PostgresDatabase}
 * provides: every {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate} and
 * {@code executeBatch} call on a statement of its connections counts once (a batch is one round trip), on any
 * thread, during the measured part only (not set-up or warm-up). Statements through other pools are not seen. The
 * count is per JVM, so load tests that run in parallel with other database tests count each other's statements.
 * A test whose class does not use {@code @PostgresDatabase} fails the budget as "not measured".
 *
 * <pre>{@code @MaxQueriesPerOp(3)}</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
public @interface MaxQueriesPerOp {

    /** The largest acceptable number of statements per invocation, 0 or more. */
    double value();
}
