package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code timeout} bounds the whole method: the agents are stopped and the test fails saying so. */
class TimeoutTest {

    @Test
    void aRunPastItsTimeoutIsStoppedAndFails() {
        long start = System.nanoTime();
        Throwable failure = FixtureRun.of(TooSlow.class).execute().onlyFailure();

        assertThat(failure.getMessage()).matches(
                "sleepsTooLong: timed out after 300 ms \\(@LoadTest timeout\\): [0-9] of 20 invocations completed");
        // The agents sleep for a minute per invocation; being stopped is what makes the run end at all.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
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
        @LoadTest(agents = 2, iterations = 10, timeout = "300ms")
        void sleepsTooLong() throws InterruptedException {
            Thread.sleep(60_000);
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
