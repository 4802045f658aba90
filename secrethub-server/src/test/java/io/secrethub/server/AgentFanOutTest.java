package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.AuditRecord;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What one push costs: a change reaches each subscriber through one core call per batch of subscribers
 * ({@code Secrets.changeNotices}) that authorizes every subscriber's token and audits every delivery as a
 * {@code secrets.change-notice} record, instead of a full audited read (decryption included) per subscriber.
 */
@PostgresDatabase
class AgentFanOutTest {

    private static final int SUBSCRIBERS = 3;

    private static TestServer server;
    private static String root;
    private static SecretHubClient client;

    @BeforeAll
    static void start(DataSource db) {
        server = TestServer.start(db);
        root = server.initializeAndUnseal();
        server.hub.policies().write(root, Policy.fromJson("fan-reader", "{\"path\": {"
                + "\"secret/data/fan/*\": {\"capabilities\": [\"read\"]}}}"));
        client = SecretHubClient.connect(server.server.url(), server.caFile);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @Test
    void eachDeliveryIsAuthorizedAndAuditedOnceAsAChangeNoticeWithoutAReadPerSubscriber() throws Exception {
        String path = "fan/cost";
        server.hub.secrets().write(root, path, Map.of("v", "1"));
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                AgentKeys keys = AgentKeys.generate("fan-agent-" + i + "-" + System.nanoTime());
                String certificate = client.anonymous().registerAgent(root, keys);
                String token = server.hub.auth().tokens().create(root, List.of("fan-reader"), Duration.ofHours(1),
                        "fan").token();
                RawWebSocket socket = RawWebSocket.open(server.server.port(), server.caFile, keys, certificate,
                        token);
                assertThat(socket.status).as(socket.responseHead).isEqualTo(101);
                socket.sendText("{\"id\":1,\"type\":\"subscribe\",\"path\":\"" + path + "\"}");
                assertThat(socket.readText()).contains("\"type\":\"subscribed\"");
                sockets.add(socket);
            }
            long before = lastSequence();
            server.hub.secrets().write(root, path, Map.of("v", "2"));
            for (RawWebSocket socket : sockets) {
                assertThat(socket.readText()).contains("\"type\":\"secret-changed\"").contains("\"version\":2");
            }
            List<AuditRecord> after = server.hub.audit().records(root, before + 1, 10_000).stream()
                    .filter(r -> path.equals(r.path())).toList();
            assertThat(after).filteredOn(r -> r.operation().equals("secrets.change-notice"))
                    .as("one audited notice per delivery").hasSize(SUBSCRIBERS)
                    .allSatisfy(r -> {
                        assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCESS);
                        assertThat(r.detail()).isEqualTo("version=2");
                        assertThat(r.accessorHmac()).isNotNull();
                        assertThat(r.clientAddress()).isEqualTo("127.0.0.1");
                    });
            assertThat(after).filteredOn(r -> r.operation().startsWith("secrets.read")
                    || r.operation().startsWith("secrets.metadata")).as("no full read per push").isEmpty();
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static long lastSequence() {
        long last = 0;
        while (true) {
            List<AuditRecord> page = server.hub.audit().records(root, last + 1, 10_000);
            if (page.isEmpty()) {
                return last;
            }
            last = page.get(page.size() - 1).sequence();
            if (page.size() < 10_000) {
                return last; // (each call to records() is audited too: never wait for an empty page)
            }
        }
    }
}
