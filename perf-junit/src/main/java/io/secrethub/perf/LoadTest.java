package io.secrethub.perf;

import io.secrethub.perf.engine.LoadTestExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Turns a JUnit test method into a load test: the method is run by {@link #agents()} concurrent agents and
 * every invocation is timed.
 *
 * <h2>Workload models</h2>
 * <ul>
 *   <li><b>Closed</b> ({@code rate = 0}, the default): each agent invokes the method back to back, exactly
 *       {@link #iterations()} times, or until {@link #duration()} has passed if that is set. The measured run
 *       therefore holds exactly {@code agents × iterations} invocations.</li>
 *   <li><b>Open</b> ({@code rate > 0}): invocations arrive on a fixed schedule, {@code rate} per second across all
 *       agents ({@code agents × iterations} arrivals, or arrivals until {@code duration}). Latency is measured from
 *       each arrival's <em>intended</em> start, so a stall of the system under test shows in the percentiles
 *       instead of being hidden (no coordinated omission); the service time from the actual start is reported
 *       beside it. {@code agents} bounds the concurrency: when every agent is busy, arrivals wait, and their
 *       wait counts. Nothing is dropped; the report says how far behind schedule the run fell.</li>
 * </ul>
 *
 * <p>Warm-up invocations are excluded from every statistic. All agents start the measured part behind one
 * barrier, unless {@link #rampUp()} staggers them. Failed invocations (any {@code Throwable}) are counted by
 * exception type and kept out of the latency histograms; without a whole-method {@link MaxErrorRate} any failed
 * invocation fails the test, as it would in an ordinary JUnit test.
 *
 * <p>Every attribute can be overridden from JUnit configuration parameters ({@code -D…} or
 * {@code junit-platform.properties}): globally as {@code perf.<attribute>}, per class as
 * {@code perf.<SimpleClassName>.<attribute>} or {@code perf.<fully.qualified.ClassName>.<attribute>}
 * (per class wins over global, global over the annotation); {@code perf.scale} multiplies iterations and
 * durations. The method may take an {@link Agent} parameter besides anything other extensions resolve.
 *
 * <pre>{@code
 * @LoadTest(agents = 100, iterations = 10, warmup = "2")
 * @MaxP95("50ms") @MinThroughput(500) @MaxErrorRate(0.1)
 * void secretReads(Agent agent) { ... }
 * }</pre>
 */
// The extension is internal: JUnit instantiates it reflectively (module-info opens its package to JUnit), and users
// never name it, so naming it here does not make it API.
@SuppressWarnings("exports")
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Test
@Tag("perf")
@ExtendWith(LoadTestExtension.class)
public @interface LoadTest {

    /** Concurrent agents (threads), at least 1; in the open model, the bound on concurrency. */
    int agents() default 1;

    /** Measured invocations per agent, at least 1; ignored when {@link #duration()} is set. */
    int iterations() default 1;

    /** Run for this long instead of a number of iterations, e.g. {@code "30s"}; empty means use iterations. */
    String duration() default "";

    /** Arrivals per second across all agents; {@code 0} selects the closed model. */
    double rate() default 0;

    /**
     * Excluded from every statistic: a whole number is warm-up invocations per agent, a duration such as
     * {@code "2s"} is a warm-up time per agent. Warm-up invocations run back to back, in the open model too: they
     * are there to warm the JIT and the caches, not to follow the schedule. {@code "steady"} warms up until the
     * agents' throughput stops changing, at most 60 s; {@code "steady:30s"} sets that limit. Steady means that the
     * last 3 one-second windows' throughput is within 5% of the 3 before, twice in a row (so at least 7 s), checked
     * once every agent has started warming up; a warm-up that reaches its limit first is reported as not steady.
     */
    String warmup() default "0";

    /** Spread the agents' starts evenly over this duration instead of starting them all at once. */
    String rampUp() default "0s";

    /** Bound on the whole method (set-up, warm-up and measured part), e.g. {@code "5m"}; empty means none. */
    String timeout() default "";

    /**
     * Stop the run as soon as an SLO with a {@code window} is breached, rather than running to the end: the test
     * fails with that breach and says the run was stopped early. Overridable as {@code perf.abortOnFailure} (or per
     * class, like every attribute).
     */
    boolean abortOnFailure() default false;
}
