package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** {@code timeout} bounds the whole method: the agents are stopped and the test fails saying so. */
class TimeoutTest {

    @Test
    void aRunPastItsTimeoutIsStoppedAndFails() {
        FixtureResults run = FixtureRun.of(TooSlow.class).execute();
        Throwable failure = run.onlyFailure();

        // The whole message: a run whose agents ignored the stop would add "; 2 agents did not stop when interrupted".
        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).matches(
                "sleepsTooLong: timed out after 300 ms \\(@LoadTest timeout\\): [0-9] of 20 invocations completed");
        // The agents sleep for a minute per invocation; being interrupted is what makes the run end at all.
        assertThat(run.reportEntries("sleepsTooLong")).containsEntry(TooSlow.INTERRUPTED_AGENTS, "2");
    }

    @Test
    void aTimeoutDuringSetUpSaysTheMeasuredPartNeverStarted() {
        Throwable failure = FixtureRun.of(SetUpTooSlow.class).execute().onlyFailure();

        assertThat(failure.getMessage()).isEqualTo("neverMeasured: timed out after 200 ms before the measured part"
                + " started (in @BeforeAgent methods or warm-up)");
    }

    @Test
    void aFailingBeforeAgentMethodAbortsTheLoadTest() {
        Throwable failure = FixtureRun.of(SetUpFails.class).execute().onlyFailure();

        assertThat(failure.getMessage()).startsWith("TimeoutTest.SetUpFails.measured(): @BeforeAgent logIn() failed for"
                + " agent ").endsWith(": java.lang.IllegalStateException: no credentials");
        assertThat(failure.getCause()).isInstanceOf(IllegalStateException.class);
    }

    static class TooSlow {
        static final String INTERRUPTED_AGENTS = "interruptedAgents";

        /** The agents share the test instance, so this counts across them. */
        private final AtomicInteger interrupted = new AtomicInteger();

        @LoadTest(agents = 2, iterations = 10, timeout = "300ms")
        void sleepsTooLong() throws InterruptedException {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException stopped) {
                interrupted.incrementAndGet();
                throw stopped;
            }
        }

        @AfterEach
        void publish(TestReporter reporter) {
            reporter.publishEntry(INTERRUPTED_AGENTS, String.valueOf(interrupted.get()));
        }
    }

    static class SetUpTooSlow {
        @BeforeAgent
        void slowLogIn() throws InterruptedException {
            Thread.sleep(60_000);
        }

        @LoadTest(timeout = "200ms")
        void neverMeasured() {
        }
    }

    static class SetUpFails {
        @BeforeAgent
        void logIn() {
            throw new IllegalStateException("no credentials");
        }

        @LoadTest(agents = 2)
        void measured() {
        }
    }
}
