package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.runtime.HubInternals;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubAgent;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.ws.ChannelSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * A change whose notification never came, or whose push failed, still reaches the agents: the channel's
 * reconciliation compares what they were told with the database. The writer here is a hub whose after-commit
 * announcements never leave (its change feed is closed), as if it died right after each commit; a second server
 * that does not reconcile (its interval is an hour) shows that the notification really was lost.
 */
@PostgresDatabase
class AgentPushReconcileTest {

    /** Generous: this only bounds how long a broken build waits; nothing here is a timing assertion. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static DataSource db;
    private static TestServer reconciling;
    private static TestServer notReconciling;
    private static SecretHub mute;
    private static String root;
    private static String agentToken;
    private static SecretHubClient client;
    private static SecretHubClient otherClient;

    @BeforeAll
    static void start(DataSource dataSource) {
        db = dataSource;
        reconciling = TestServer.start(db, b -> b.channelSettings(ChannelSettings.defaults()
                .withReconcileEvery(Duration.ofMillis(200))));
        var init = reconciling.hub.sys().initialize(1, 1);
        String share = init.shares().get(0);
        root = init.rootToken();
        reconciling.hub.sys().unseal(share);
        notReconciling = TestServer.start(db, b -> b.channelSettings(ChannelSettings.defaults()
                .withReconcileEvery(Duration.ofHours(1))));
        notReconciling.hub.sys().unseal(share);
        mute = SecretHub.builder().dataSource(db).tokenCacheTtl(Duration.ZERO).nodeName("mute").build();
        mute.sys().unseal(share);
        HubInternals.of(mute).secretChanges().close();
        reconciling.hub.policies().write(root, Policy.fromJson("agent-app", "{\"path\": {"
                + "\"secret/data/app/*\": {\"capabilities\": [\"read\"]}}}"));
        agentToken = reconciling.hub.auth().tokens().create(root, List.of("agent-app"), Duration.ofHours(1), "agent")
                .token();
        client = SecretHubClient.connect(reconciling.server.url(), reconciling.caFile);
        otherClient = SecretHubClient.connect(notReconciling.server.url(), notReconciling.caFile);
    }

    @AfterAll
    static void stop() {
        client.close();
        otherClient.close();
        mute.close();
        notReconciling.close();
        reconciling.close();
    }

    @Test
    void aChangeWhoseNotificationWasLostIsPushedByTheReconciliation() throws Exception {
        String path = "app/lost-notice";
        reconciling.hub.secrets().write(root, path, Map.of("v", "1"));
        BlockingQueue<SecretHubAgent.LocalSecret> here = new LinkedBlockingQueue<>();
        BlockingQueue<SecretHubAgent.LocalSecret> there = new LinkedBlockingQueue<>();
        try (SecretHubAgent agent = agent(client, "reconciled", path, here);
                SecretHubAgent control = agent(otherClient, "control", path, there)) {
            assertThat(next(here).version()).isEqualTo(1);
            assertThat(next(there).version()).isEqualTo(1);
            long before = reconciling.server.agentChannel().pushesReconciled();

            mute.secrets().write(root, path, Map.of("v", "2"));

            SecretHubAgent.LocalSecret two = next(here);
            assertThat(two.version()).isEqualTo(2);
            assertThat(two.data()).containsEntry("v", "2");
            assertThat(reconciling.server.agentChannel().pushesReconciled()).isGreaterThan(before);
            // the fault is real: without the reconciliation the other agent still holds version 1
            assertThat(there.poll(1, TimeUnit.SECONDS)).as("a push without a notification").isNull();
            assertThat(control.secret(path).orElseThrow().version()).isEqualTo(1);
        }
    }

    @Test
    void aPushThatCouldNotBeAuditedIsTriedAgainOnceTheAuditLogWorks() throws Exception {
        String path = "app/unaudited-push";
        reconciling.hub.secrets().write(root, path, Map.of("v", "1"));
        BlockingQueue<SecretHubAgent.LocalSecret> here = new LinkedBlockingQueue<>();
        try (SecretHubAgent agent = agent(client, "retried", path, here)) {
            assertThat(next(here).version()).isEqualTo(1);
            // The audit log refuses change notices only, so the write (and its notification) goes through
            sql("CREATE OR REPLACE FUNCTION refuse_notices() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " IF NEW.operation = 'secrets.change-notice' THEN RAISE EXCEPTION 'no notices now'; END IF;"
                    + " RETURN NEW; END $$",
                    "CREATE TRIGGER refuse_notices BEFORE INSERT ON audit_log FOR EACH ROW"
                    + " EXECUTE FUNCTION refuse_notices()");
            try {
                reconciling.hub.secrets().write(root, path, Map.of("v", "2"));
                assertThat(here.poll(2, TimeUnit.SECONDS)).as("told while its notice cannot be audited").isNull();
            } finally {
                sql("DROP TRIGGER refuse_notices ON audit_log");
            }
            SecretHubAgent.LocalSecret two = next(here);
            assertThat(two.version()).isEqualTo(2);
            assertThat(two.data()).containsEntry("v", "2");
        }
        assertThat(reconciling.hub.audit().verify(root).intact()).isTrue();
    }

    private SecretHubAgent agent(SecretHubClient via, String name, String path,
            BlockingQueue<SecretHubAgent.LocalSecret> changes) {
        AgentKeys keys = AgentKeys.generate("reconcile-" + name);
        String certificate = client.anonymous().registerAgent(root, keys);
        SecretHubAgent agent = SecretHubAgent.connect(via, keys, certificate, agentToken, List.of(path), changes::add);
        try {
            assertThat(agent.awaitSynced(WAIT)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return agent;
    }

    private static SecretHubAgent.LocalSecret next(BlockingQueue<SecretHubAgent.LocalSecret> changes)
            throws InterruptedException {
        SecretHubAgent.LocalSecret next = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(next).as("a change within " + WAIT).isNotNull();
        return next;
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }
}
