package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.secrethub.perf.testkit.FixtureResults;
import io.secrethub.perf.testkit.FixtureRun;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agents run on virtual threads where the runtime has them, platform threads otherwise; perf.threads decides. */
class AgentThreadsTest {

    static final Map<Integer, Boolean> VIRTUAL_BY_AGENT = new ConcurrentHashMap<>();

    private static final boolean RUNTIME_HAS_VIRTUAL_THREADS = Runtime.version().feature() >= 21;

    @BeforeEach
    void reset() {
        VIRTUAL_BY_AGENT.clear();
    }

    @Test
    void autoPicksWhatTheRuntimeHas() {
        FixtureResults run = FixtureRun.of(ReportsThreadKind.class).execute();
        run.testEvents().assertStatistics(stats -> stats.succeeded(1));

        ThreadMode expected = RUNTIME_HAS_VIRTUAL_THREADS ? ThreadMode.VIRTUAL : ThreadMode.PLATFORM;
        assertThat(run.result("reportsThreadKind").settings().threads()).isEqualTo(expected);
        assertThat(VIRTUAL_BY_AGENT).hasSize(3).containsOnlyKeys(0, 1, 2)
                .allSatisfy((agent, virtual) -> assertThat(virtual).isEqualTo(RUNTIME_HAS_VIRTUAL_THREADS));
    }

    @Test
    void platformCanBeForced() {
        FixtureResults run = FixtureRun.of(ReportsThreadKind.class).with("perf.threads", "platform").execute();

        assertThat(run.result("reportsThreadKind").settings().threads()).isEqualTo(ThreadMode.PLATFORM);
        assertThat(VIRTUAL_BY_AGENT.values()).hasSize(3).containsOnly(false);
    }

    @Test
    void virtualFailsClearlyOnARuntimeWithoutThem() {
        assumeTrue(!RUNTIME_HAS_VIRTUAL_THREADS, "this runtime has virtual threads");

        Throwable failure =
                FixtureRun.of(ReportsThreadKind.class).with("perf.threads", "virtual").execute().onlyFailure();

        assertThat(failure.getMessage()).startsWith("Invalid configuration parameter perf.threads = \"virtual\": "
                + "this runtime (Java " + Runtime.version().feature() + ") has no virtual threads");
    }

    @Test
    void virtualCanBeForcedOnARuntimeWithThem() {
        assumeTrue(RUNTIME_HAS_VIRTUAL_THREADS, "this runtime has no virtual threads");

        FixtureRun.of(ReportsThreadKind.class).with("perf.threads", "virtual").execute();

        assertThat(VIRTUAL_BY_AGENT.values()).hasSize(3).containsOnly(true);
    }

    /** {@code Thread.isVirtual()} exists only on Java 21+, and this code compiles for 17. */
    static boolean isVirtual(Thread thread) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
        } catch (NoSuchMethodException before21) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static class ReportsThreadKind {
        @LoadTest(agents = 3)
        void reportsThreadKind(Agent agent) {
            VIRTUAL_BY_AGENT.put(agent.id(), isVirtual(Thread.currentThread()));
        }
    }
}
