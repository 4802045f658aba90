package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.policy.Policy;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubAgent;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.ws.CloseCodes;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server instances in this JVM on one database, over real TLS: {@code sys/ha-status} lists both, an instance
 * whose heartbeat stops reaching the database drops out within the staleness bound, {@code sys/health} answers with
 * Vault's codes and SecretHub's cluster view, and a drain turns health to 429 and moves the WebSocket agents.
 */
@PostgresDatabase
class ClusterServerTest {

    /** Bounds a broken build's wait only (the staleness bound is 5 s). */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestServer.Pair servers;
    private static TestServer first;
    private static TestServer second;
    private static CuttableDataSource secondDb;
    private static DataSource db;
    private static String root;
    private static String share;

    @BeforeAll
    static void start(DataSource dataSource) {
        db = dataSource;
        secondDb = new CuttableDataSource(db);
        servers = TestServer.pair(db, secondDb);
        first = servers.first();
        second = servers.second();
        root = servers.root();
        share = servers.share();
    }

    @AfterAll
    static void stop() {
        secondDb.cut = false;
        servers.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> nodes(RawHttp http) {
        RawHttp.Answer answer = http.get("/v1/sys/ha-status", root);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) answer.data().get("nodes");
        assertThat(answer.json().get("nodes")).as("also at the top level, as Vault's sys paths").isEqualTo(nodes);
        return nodes;
    }

    private static List<Object> addresses(RawHttp http) {
        return nodes(http).stream().map(n -> n.get("api_address")).toList();
    }

    @Test
    void haStatusListsBothInstancesInVaultsShape() {
        // ha-status shows each instance as its last beat wrote it (at most one interval old): wait for both to be
        // listed with their addresses and unsealed
        await("both instances listed, addressed and active", () -> nodes(first.http).stream()
                .filter(n -> !"".equals(n.get("api_address")) && Boolean.TRUE.equals(n.get("active_node")))
                .count() == 2);
        List<Map<String, Object>> nodes = nodes(second.http);
        assertThat(nodes).extracting(n -> n.get("api_address"))
                .containsExactlyInAnyOrder(first.server.url(), second.server.url());
        assertThat(nodes).allSatisfy(n -> {
            assertThat(n).containsKeys("hostname", "api_address", "cluster_address", "active_node", "last_echo",
                    "version");
            assertThat(n.get("active_node")).isEqualTo(true);
            assertThat((String) n.get("last_echo")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        });
        assertThat(nodes).filteredOn(n -> Boolean.TRUE.equals(n.get("self"))).extracting(n -> n.get("instance_id"))
                .containsExactly(second.hub.node());

        assertThat(first.http.get("/v1/sys/ha-status", null).status()).isEqualTo(403);
        assertThat(first.http.get("/v1/sys/ha-status", "not-a-token").status()).isEqualTo(403);
    }

    @Test
    void anInstanceWhoseHeartbeatStopsDropsOutAndComesBack() {
        // ha-status shows each instance as its last beat wrote it (at most one interval old): wait for both to be
        // listed with their addresses and unsealed
        await("both instances listed, addressed and active", () -> nodes(first.http).stream()
                .filter(n -> !"".equals(n.get("api_address")) && Boolean.TRUE.equals(n.get("active_node")))
                .count() == 2);
        secondDb.cut = true; // as a killed process or a partition: its row stops moving
        try {
            long start = System.nanoTime();
            await("the silent instance drops out", () -> addresses(first.http).equals(List.of(first.server.url())));
            System.out.printf("ha-status: a silent instance dropped out after %d ms (staleness bound 5 s; heartbeat "
                    + "1 s; machine shared with other builds)%n", (System.nanoTime() - start) / 1_000_000);
            await("its own health says the database is unreachable", () -> !cluster(second.http.get("/v1/sys/health",
                    null)).get("database_reachable").equals(true));
        } finally {
            secondDb.cut = false;
        }
        await("it comes back", () -> addresses(first.http).size() == 2);
        assertThat(cluster(second.http.get("/v1/sys/health", null))).containsEntry("database_reachable", true);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cluster(RawHttp.Answer health) {
        return (Map<String, Object>) health.json().get("cluster");
    }

    @Test
    void healthHasVaultsFieldsAndTheClusterView() {
        RawHttp.Answer health = first.http.get("/v1/sys/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json()).containsKeys("initialized", "sealed", "standby", "performance_standby",
                "replication_performance_mode", "replication_dr_mode", "server_time_utc", "version", "cluster_name")
                .containsEntry("standby", false);
        await("both live", () -> cluster(first.http.get("/v1/sys/health", null)).get("live_instances").equals(2));
        Map<String, Object> view = cluster(first.http.get("/v1/sys/health", null));
        assertThat(view).containsEntry("instance_id", first.hub.node()).containsEntry("draining", false)
                .containsEntry("database_reachable", true).containsEntry("change_feed_connected", true)
                .containsEntry("stale_after_seconds", 5.0).containsKeys("audit_queue_depth", "last_heartbeat");
        assertThat(((Number) view.get("audit_queue_depth")).intValue()).isGreaterThanOrEqualTo(0);

        // Vault's parameters: validated as Vault does, and standbyok changes nothing (no instance is a standby).
        assertThat(first.http.get("/v1/sys/health?standbyok=true&perfstandbyok=1", null).status()).isEqualTo(200);
        assertThat(first.http.get("/v1/sys/health?standbyok=maybe", null).status()).isEqualTo(400);
        assertThat(first.http.get("/v1/sys/health?sealedcode=abc", null).status()).isEqualTo(400);
        assertThat(first.http.get("/v1/sys/health?drsecondarycode=x", null).status()).isEqualTo(400);
        assertThat(first.http.get("/v1/sys/health?activecode=204&standbycode=200", null).status()).isEqualTo(204);
    }

    @Test
    void aSealedInstanceAnswers503UnlessTheProbeSaysOtherwise() {
        try (TestServer sealed = TestServer.start(db)) {
            assertThat(sealed.http.get("/v1/sys/health", null).status()).isEqualTo(503);
            assertThat(sealed.http.get("/v1/sys/health?sealedcode=200", null).status()).isEqualTo(200);
            assertThat(cluster(sealed.http.get("/v1/sys/health", null))).containsEntry("database_reachable", true);
            await("listed as sealed", () -> nodes(first.http).stream().anyMatch(n -> n.get("api_address")
                    .equals(sealed.server.url()) && n.get("active_node").equals(false)));
        }
        assertThat(addresses(first.http)).hasSize(2); // closed: gone at once
    }

    @Test
    void aDrainTurnsHealthTo429ClosesConnectionsAndMovesTheAgents() throws Exception {
        first.hub.policies().write(root, Policy.fromJson("drain-agent", "{\"path\": {"
                + "\"secret/data/drain/*\": {\"capabilities\": [\"read\"]},"
                + "\"secret/metadata/drain/*\": {\"capabilities\": [\"read\", \"list\"]}}}"));
        String agentToken = first.hub.auth().tokens().create(root, List.of("drain-agent"), Duration.ofHours(1),
                "agent").token();
        first.hub.secrets().write(root, "drain/a", Map.of("v", "1"));
        TestServer draining = TestServer.start(db);
        draining.hub.sys().unseal(share);
        int port = draining.server.port();
        BlockingQueue<SecretHubAgent.LocalSecret> changes = new LinkedBlockingQueue<>();
        AgentKeys keys = AgentKeys.generate("drain-agent-1");
        try (SecretHubClient client = SecretHubClient.connect(draining.server.url(), draining.caFile)) {
            String certificate = client.anonymous().registerAgent(root, keys);
            SecretHubAgent agent = SecretHubAgent.connect(client, keys, certificate, agentToken, List.of("drain/a"),
                    changes::add);
            try {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                assertThat(changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS).version()).isEqualTo(1);
                assertThat(draining.http.get("/v1/sys/health", null).response().headers().firstValue("Connection"))
                        .isEmpty();

                draining.server.drain();
                RawHttp.Answer health = draining.http.get("/v1/sys/health", null);
                assertThat(health.status()).isEqualTo(429);
                assertThat(cluster(health)).containsEntry("draining", true);
                assertThat(health.response().headers().firstValue("Connection")).contains("close");
                assertThat(draining.http.send("HEAD", "/v1/sys/health", null, null).status()).isEqualTo(429);
                assertThat(draining.http.get("/v1/sys/health?standbyok=true", null).status()).isEqualTo(429);
                assertThat(draining.http.get("/v1/sys/health?drainingcode=503", null).status()).isEqualTo(503);
                // Requests are still served until the server closes.
                assertThat(draining.http.get("/v1/secret/data/drain/a", root).status()).isEqualTo(200);

                await("the agent was told to go away", () -> agent.lastCloseCode() == CloseCodes.GOING_AWAY);
                assertThat(draining.server.agentChannel().closedWith(CloseCodes.GOING_AWAY)).isEqualTo(1);
                try (RawWebSocket refused = RawWebSocket.open(port, draining.caFile, keys, certificate, agentToken)) {
                    assertThat(refused.status).isEqualTo(503);
                }

                draining.close();
                first.hub.secrets().write(root, "drain/a", Map.of("v", "2")); // while it is nowhere
                // "Elsewhere": what the balancer would reach at the same address, here a new instance on the port.
                draining = TestServer.restart(db, draining, port);
                draining.hub.sys().unseal(share);
                SecretHubAgent.LocalSecret latest = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(latest).isNotNull();
                assertThat(latest.version()).isEqualTo(2);
                assertThat(agent.connects()).isGreaterThanOrEqualTo(2);
            } finally {
                agent.close();
                draining.close();
            }
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + " did not happen within " + WAIT);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The class's pool, which can be cut off as a partition would: no new connection is handed out meanwhile. */
    static final class CuttableDataSource implements DataSource {

        private final DataSource target;
        volatile boolean cut;

        CuttableDataSource(DataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (cut) {
                throw new SQLException("cut off by the test", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return target.isWrapperFor(iface);
        }
    }
}
