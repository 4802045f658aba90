package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.WriteOptions;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubAgent;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.client.SecretHubClientException;
import io.secrethub.server.client.ServerUnavailableException;
import io.secrethub.server.client.WriteOutcomeUnknownException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client and the agent against several servers on one database: a stopped server is left for the next one,
 * a sealed one (503) too; reads and check-and-set writes whose answer was lost are sent again, any other write
 * whose answer was lost is reported as possibly applied; an agent whose server stops moves to the other and
 * resynchronizes.
 */
@PostgresDatabase
class ClientFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static DataSource db;
    private static TestServer.Pair servers;
    private static TestServer first;
    private static TestServer second;
    private static String root;
    private static String share;

    @BeforeAll
    static void start(DataSource dataSource) {
        db = dataSource;
        servers = TestServer.pair(db, db);
        first = servers.first();
        second = servers.second();
        root = servers.root();
        share = servers.share();
        first.hub.policies().write(root, Policy.fromJson("agent-app", "{\"path\": {"
                + "\"secret/data/app/*\": {\"capabilities\": [\"read\"]}}}"));
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static SecretHubClient client(String... urls) {
        return SecretHubClient.builder().addresses(List.of(urls)).trust(first.caFile)
                .failoverBudget(Duration.ofSeconds(5)).build();
    }

    @Test
    void sessionsSpreadOverTheServersRoundRobin() {
        try (SecretHubClient client = client(first.server.url(), second.server.url())) {
            // the anonymous session took the first address
            assertThat(client.anonymous().server()).isEqualTo(first.server.url());
            assertThat(client.newConnection().server()).isEqualTo(second.server.url());
            assertThat(client.newConnection().server()).isEqualTo(first.server.url());
        }
    }

    @Test
    void readsAndWritesMoveOnWhenTheirServerIsStopped() {
        TestServer doomed = TestServer.sibling(db, first);
        doomed.hub.sys().unseal(share);
        first.hub.secrets().write(root, "app/moving", Map.of("v", "1"));
        try (SecretHubClient client = client(doomed.server.url(), first.server.url())) {
            SecretHubClient.Session session = client.anonymous();
            assertThat(session.server()).isEqualTo(doomed.server.url());
            assertThat(session.kvRead(root, "app/moving")).containsEntry("v", "1");

            doomed.close();
            // The read's keep-alive connection is gone: it is sent again to the other server, no error.
            assertThat(session.kvRead(root, "app/moving")).containsEntry("v", "1");
            assertThat(session.server()).isEqualTo(first.server.url());
            // A plain write that could not connect was never sent: it is sent to the next server.
            SecretHubClient.Session fresh = client.newConnection();
            assertThat(fresh.kvWrite(root, "app/moving", Map.of("v", "2"), null)).isEqualTo(2);
            assertThat(first.hub.secrets().read(root, "app/moving").data()).containsEntry("v", "2");
        } finally {
            doomed.close();
        }
    }

    @Test
    void aSealedServerIsPassedOverEvenForAPlainWrite() {
        TestServer sealed = TestServer.sibling(db, first); // never unsealed: 503 to everything
        try (SecretHubClient client = client(sealed.server.url(), first.server.url())) {
            SecretHubClient.Session session = client.anonymous();
            assertThat(session.server()).isEqualTo(sealed.server.url());
            assertThat(session.kvWrite(root, "app/sealed-one", Map.of("v", "1"), null)).isEqualTo(1);
            assertThat(session.server()).isEqualTo(first.server.url());
            // its own health is the instance's answer, never failed over
            try (SecretHubClient direct = client(sealed.server.url())) {
                assertThat(direct.anonymous().send("GET", "sys/health", null, null).status()).isEqualTo(503);
            }
        } finally {
            sealed.close();
        }
    }

    @Test
    void aPlainWriteWhoseAnswerWasLostIsReportedAsPossiblyApplied() {
        try (LostAnswerServer dying = new LostAnswerServer(first.identity);
                SecretHubClient client = client(dying.url(), first.server.url())) {
            assertThatThrownBy(() -> client.anonymous().kvWrite(root, "app/lost", Map.of("v", "1"), null))
                    .isInstanceOf(WriteOutcomeUnknownException.class)
                    .hasMessageContaining("may or may not have been applied")
                    .satisfies(e -> assertThat(((SecretHubClientException) e).status()).isZero());
            assertThat(dying.requests()).isEqualTo(1); // not sent again anywhere
            assertThatThrownBy(() -> first.hub.secrets().read(root, "app/lost"))
                    .isInstanceOf(io.secrethub.core.NotFoundException.class);
        }
    }

    @Test
    void aReadWhoseAnswerWasLostIsSentAgainElsewhere() {
        first.hub.secrets().write(root, "app/lost-read", Map.of("v", "here"));
        try (LostAnswerServer dying = new LostAnswerServer(first.identity);
                SecretHubClient client = client(dying.url(), first.server.url())) {
            assertThat(client.anonymous().kvRead(root, "app/lost-read")).containsEntry("v", "here");
            assertThat(dying.requests()).isEqualTo(1);
        }
    }

    @Test
    void aCheckAndSetWriteWhoseAnswerWasLostIsSentAgainAndAppliedOnce() {
        try (LostAnswerServer dying = new LostAnswerServer(first.identity);
                SecretHubClient client = client(dying.url(), first.server.url())) {
            // not applied before the drop: the retry applies it
            assertThat(client.anonymous().kvWrite(root, "app/cas-not-applied", Map.of("v", "1"), 0)).isEqualTo(1);
        }
        try (LostAnswerServer dying = new LostAnswerServer(first.identity);
                SecretHubClient client = client(dying.url(), first.server.url())) {
            // applied before the drop (the dying server got it done): the retry is refused, and the client finds
            // its own write at version cas + 1
            dying.beforeDrop(request -> first.hub.secrets().write(root, "app/cas-applied", Map.of("v", "mine"),
                    WriteOptions.cas(0)));
            assertThat(client.anonymous().kvWrite(root, "app/cas-applied", Map.of("v", "mine"), 0)).isEqualTo(1);
            assertThat(first.hub.secrets().read(root, "app/cas-applied").version()).isEqualTo(1);
        }
        try (LostAnswerServer dying = new LostAnswerServer(first.identity);
                SecretHubClient client = client(dying.url(), first.server.url())) {
            // another writer took the version meanwhile: the refusal stands
            dying.beforeDrop(request -> first.hub.secrets().write(root, "app/cas-taken", Map.of("v", "theirs"),
                    WriteOptions.cas(0)));
            assertThatThrownBy(() -> client.anonymous().kvWrite(root, "app/cas-taken", Map.of("v", "mine"), 0))
                    .isInstanceOf(SecretHubClientException.class)
                    .isNotInstanceOf(WriteOutcomeUnknownException.class)
                    .hasMessageContaining("check-and-set");
            assertThat(first.hub.secrets().read(root, "app/cas-taken").data()).containsEntry("v", "theirs");
        }
    }

    @Test
    void aCheckAndSetWriteAnswered500IsSentAgainAndAPlainWriteIsNot() {
        try (LostAnswerServer failing = new LostAnswerServer(first.identity);
                SecretHubClient client = client(failing.url(), first.server.url())) {
            failing.answerWith(500);
            // not applied by the failing server: the retry on the next one applies it
            assertThat(client.anonymous().kvWrite(root, "app/cas-500", Map.of("v", "1"), 0)).isEqualTo(1);
            // applied, then answered 500 (its commit went through, the answer did not say so): found at cas + 1
            failing.beforeDrop(request -> first.hub.secrets().write(root, "app/cas-500-applied",
                    Map.of("v", "mine"), WriteOptions.cas(0)));
            assertThat(client.anonymous().kvWrite(root, "app/cas-500-applied", Map.of("v", "mine"), 0))
                    .isEqualTo(1);
            assertThat(first.hub.secrets().read(root, "app/cas-500-applied").version()).isEqualTo(1);
        }
        try (LostAnswerServer failing = new LostAnswerServer(first.identity);
                SecretHubClient client = client(failing.url(), first.server.url())) {
            failing.answerWith(500);
            int before = failing.requests();
            // a plain write could apply twice: the 500 is the answer, and it is not sent anywhere else
            assertThatThrownBy(() -> client.anonymous().kvWrite(root, "app/plain-500", Map.of("v", "1"), null))
                    .isInstanceOf(SecretHubClientException.class)
                    .isNotInstanceOf(WriteOutcomeUnknownException.class)
                    .satisfies(e -> assertThat(((SecretHubClientException) e).status()).isEqualTo(500));
            assertThat(failing.requests() - before).isEqualTo(1);
            assertThatThrownBy(() -> first.hub.secrets().read(root, "app/plain-500"))
                    .isInstanceOf(io.secrethub.core.NotFoundException.class);
        }
    }

    @Test
    void whenNoServerCanBeReachedNothingWasApplied() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (SecretHubClient client = SecretHubClient.builder().addresses(List.of("https://127.0.0.1:" + port))
                .trust(first.caFile).failoverBudget(Duration.ofMillis(300)).build()) {
            assertThatThrownBy(() -> client.anonymous().kvWrite(root, "app/nowhere", Map.of("v", "1"), null))
                    .isInstanceOf(ServerUnavailableException.class)
                    .hasMessageContaining("it was not applied")
                    .satisfies(e -> assertThat(((SecretHubClientException) e).status()).isEqualTo(503));
        }
    }

    @Test
    void anAgentsReadGoesOverHttpsWhileItsSocketCannotReconnect() throws Exception {
        TestServer refusing = TestServer.sibling(db, first);
        refusing.hub.sys().unseal(share);
        first.hub.secrets().write(root, "app/agent-https", Map.of("v", "1"));
        String token = first.hub.auth().tokens().create(root, List.of("agent-app"), Duration.ofHours(1), "https")
                .token();
        try (SecretHubClient client = client(refusing.server.url())) {
            AgentKeys keys = AgentKeys.generate("https-reader");
            String certificate = client.anonymous().registerAgent(root, keys);
            try (SecretHubAgent agent = SecretHubAgent.connect(client, keys, certificate, token,
                    List.of("app/agent-https"), null)) {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                // the only server closes every socket and refuses upgrades (503) but still serves HTTPS
                refusing.server.agentChannel().drain();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (agent.isConnected() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(agent.isConnected()).isFalse();

                // Each refused attempt is retried once, on one chain of growing delays, not once per way Jetty
                // reports the failure. One chain makes 1-2 attempts in this window (measured: 1, 1), but its delays
                // are random (full jitter): simulated over 10^6 runs it makes 5 or more 0.12% of the time (one CI
                // run saw 5) and more than 7 about once in 10^5. When every refusal made two retries the chains
                // doubled (measured: 9, 9), and they keep doubling, so the bound sits between the two.
                Thread.sleep(3_000);
                int refusedBefore = refusing.server.agentChannel().upgradesRefused();
                Thread.sleep(5_000);
                assertThat(refusing.server.agentChannel().upgradesRefused() - refusedBefore)
                        .as("upgrade attempts 3 s to 8 s after the server began refusing").isLessThanOrEqualTo(7);
                assertThat(agent.read("app/agent-https")).containsEntry("v", "1");
                assertThat(agent.readsOverHttps()).isEqualTo(1);
                assertThatThrownBy(() -> agent.read("other/not-allowed"))
                        .isInstanceOf(SecretHubClientException.class)
                        .satisfies(e -> assertThat(((SecretHubClientException) e).status()).isEqualTo(403));
            }
        } finally {
            refusing.close();
        }
    }

    @Test
    void anAgentWhoseServerStopsMovesToTheNextAndMissesNothing() throws Exception {
        TestServer doomed = TestServer.sibling(db, first);
        doomed.hub.sys().unseal(share);
        first.hub.secrets().write(root, "app/agent-moves", Map.of("v", "1"));
        String token = first.hub.auth().tokens().create(root, List.of("agent-app"), Duration.ofHours(1), "mover")
                .token();
        BlockingQueue<SecretHubAgent.LocalSecret> changes = new LinkedBlockingQueue<>();
        try (SecretHubClient client = client(doomed.server.url(), first.server.url())) {
            AgentKeys keys = AgentKeys.generate("mover");
            String certificate = client.anonymous().registerAgent(root, keys);
            // the anonymous session took the first address, this one the second: the agent's is the first again
            client.newConnection();
            try (SecretHubAgent agent = SecretHubAgent.connect(client, keys, certificate, token,
                    List.of("app/agent-moves"), changes::add)) {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                assertThat(agent.server()).isEqualTo(doomed.server.url());
                assertThat(changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS).version()).isEqualTo(1);

                doomed.close();
                first.hub.secrets().write(root, "app/agent-moves", Map.of("v", "2")); // while it moves
                // a read during the move waits for the reconnection: no error
                assertThat(agent.read("app/agent-moves")).containsKey("v");
                // the change arrives by the resync (written while away) or by a push (written after the move)
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (agent.secret("app/agent-moves").map(SecretHubAgent.LocalSecret::version).orElse(0) < 2
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(agent.secret("app/agent-moves").orElseThrow().version())
                        .as("version held by the agent, now on %s after %d connects", agent.server(), agent.connects())
                        .isEqualTo(2);
                assertThat(agent.secret("app/agent-moves").orElseThrow().data()).containsEntry("v", "2");
                assertThat(agent.server()).isEqualTo(first.server.url());
                assertThat(agent.connects()).isGreaterThanOrEqualTo(2);
            }
        } finally {
            doomed.close();
        }
    }
}
