package io.secrethub.perf;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.testkit.FixtureRun;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Per-agent state lives for the whole test class, so a later method builds on what an earlier one stored. */
class AgentStateTest {

    @Test
    void stateCarriesFromOneOrderedMethodToTheNext() {
        Phases.SEEN.clear();

        FixtureRun.of(Phases.class).execute().testEvents().assertStatistics(stats -> stats.succeeded(2));

        assertThat(Phases.SEEN).containsOnly(
                Map.entry(0, "token-0 x5"), Map.entry(1, "token-1 x5"), Map.entry(2, "token-2 x5"));
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Phases {
        static final Map<Integer, String> SEEN = new ConcurrentHashMap<>();

        @Order(1)
        @LoadTest(agents = 3, iterations = 5)
        void logIn(Agent agent) {
            agent.state().put("token", "token-" + agent.id());
            agent.state().merge("logins", 1, (a, b) -> (Integer) a + (Integer) b);
        }

        @Order(2)
        @LoadTest(agents = 3)
        void useToken(Agent agent) {
            SEEN.put(agent.id(), agent.state().get("token") + " x" + agent.state().get("logins"));
        }
    }
}
