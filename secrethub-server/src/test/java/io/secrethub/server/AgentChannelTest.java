package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.AuditRecord;
import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubAgent;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.client.SecretHubClientException;
import io.secrethub.server.ws.ChannelSettings;
import io.secrethub.server.ws.CloseCodes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket agent channel with real TLS on loopback, a real database, and two SecretHub instances on it:
 * reads and pushes, a write on one instance reaching an agent on the other, resynchronization after a server
 * restart, and the bad input the channel must survive while it keeps serving everyone else.
 */
@PostgresDatabase
class AgentChannelTest {

    /** Generous: this only bounds how long a broken build waits; nothing here is a timing assertion. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ChannelSettings LIMITS = ChannelSettings.defaults().withMaxQueuedMessages(16).withRate(50, 40);

    private static DataSource db;
    private static TestServer first;
    private static SecretHub second;
    private static String root;
    private static String share;
    private static String agentToken;
    private static SecretHubClient client;
    private static final AtomicInteger AGENTS = new AtomicInteger();

    @BeforeAll
    static void start(DataSource dataSource) {
        db = dataSource;
        first = TestServer.start(db, b -> b.channelSettings(LIMITS));
        var init = first.hub.sys().initialize(1, 1);
        share = init.shares().get(0);
        root = init.rootToken();
        first.hub.sys().unseal(share);
        second = SecretHub.builder().dataSource(db).tokenCacheTtl(Duration.ZERO).nodeName("second").build();
        second.sys().unseal(share);
        first.hub.policies().write(root, Policy.fromJson("agent-app", "{\"path\": {"
                + "\"secret/data/app/*\": {\"capabilities\": [\"read\"]},"
                + "\"secret/metadata/app/*\": {\"capabilities\": [\"read\", \"list\"]}}}"));
        agentToken = token();
        client = SecretHubClient.connect(first.server.url(), first.caFile);
    }

    @AfterAll
    static void stop() {
        client.close();
        second.close();
        first.close();
    }

    private static String token() {
        return first.hub.auth().tokens().create(root, List.of("agent-app"), Duration.ofHours(1), "agent").token();
    }

    /** A registered agent: its key and the certificate SecretHub issued for it. */
    private record Registered(AgentKeys keys, String certificate) {
    }

    private static Registered register() {
        AgentKeys keys = AgentKeys.generate("ws-agent-" + AGENTS.incrementAndGet());
        return new Registered(keys, client.anonymous().registerAgent(root, keys));
    }

    private static RawWebSocket raw(Registered agent, String token) throws Exception {
        RawWebSocket socket = RawWebSocket.open(first.server.port(), first.caFile, agent.keys(), agent.certificate(),
                token);
        assertThat(socket.status).as(socket.responseHead).isEqualTo(101);
        return socket;
    }

    @Test
    void anAgentReadsOverTheSocketAuthorizedAndAuditedLikeHttp() throws Exception {
        first.hub.secrets().write(root, "app/read", Map.of("password", "s3cret"));
        Registered r = register();
        try (SecretHubAgent agent = SecretHubAgent.connect(client, r.keys(), r.certificate(), agentToken, List.of(),
                null)) {
            assertThat(agent.awaitSynced(WAIT)).isTrue();
            assertThat(agent.read("app/read")).containsEntry("password", "s3cret");
            assertThatThrownBy(() -> agent.read("other/secret")).isInstanceOf(SecretHubClientException.class)
                    .satisfies(e -> assertThat(((SecretHubClientException) e).status()).isEqualTo(403));
        }
        List<AuditRecord> records = first.hub.audit().records(root, 1, 10_000);
        assertThat(records).anySatisfy(a -> {
            assertThat(a.path()).isEqualTo("app/read");
            assertThat(a.clientAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(records).anySatisfy(a -> assertThat(a.path()).isEqualTo("other/secret"));
    }

    @Test
    void writesOnEitherInstanceArePushedToTheSubscribedAgent() throws Exception {
        first.hub.secrets().write(root, "app/push", Map.of("v", "1"));
        BlockingQueue<SecretHubAgent.LocalSecret> changes = new LinkedBlockingQueue<>();
        Registered r = register();
        try (SecretHubAgent agent = SecretHubAgent.connect(client, r.keys(), r.certificate(), agentToken,
                List.of("app/push"), changes::add)) {
            assertThat(agent.awaitSynced(WAIT)).isTrue();
            assertThat(next(changes).version()).isEqualTo(1);

            first.hub.secrets().write(root, "app/push", Map.of("v", "2"));
            SecretHubAgent.LocalSecret two = next(changes);
            assertThat(two.version()).isEqualTo(2);
            assertThat(two.data()).containsEntry("v", "2");

            // Written through the other instance: reaches this server's agent through PostgreSQL's notifications.
            second.secrets().write(root, "app/push", Map.of("v", "3"));
            SecretHubAgent.LocalSecret three = next(changes);
            assertThat(three.version()).isEqualTo(3);
            assertThat(agent.secret("app/push").orElseThrow().data()).containsEntry("v", "3");

            // A burst of writes: pushes for the path are coalesced, but the agent ends on the last version.
            for (int v = 4; v <= 23; v++) {
                second.secrets().write(root, "app/push", Map.of("v", Integer.toString(v)));
            }
            int pushed = 0;
            SecretHubAgent.LocalSecret latest;
            do {
                latest = next(changes);
                pushed++;
            } while (latest.version() < 23);
            assertThat(latest.data()).containsEntry("v", "23");
            assertThat(pushed).isBetween(1, 20);

            second.secrets().delete(root, "app/push");
            assertThat(next(changes).deleted()).isTrue();
            assertThat(agent.connects()).isEqualTo(1);
        }
    }

    @Test
    void afterAServerRestartTheAgentResynchronizesAndMissesNothing() throws Exception {
        first.hub.secrets().write(root, "app/resync/a", Map.of("v", "1"));
        first.hub.secrets().write(root, "app/resync/b", Map.of("v", "1"));
        TestServer restartable = TestServer.start(db, b -> { });
        restartable.hub.sys().unseal(share);
        int port = restartable.server.port();
        BlockingQueue<SecretHubAgent.LocalSecret> changes = new LinkedBlockingQueue<>();
        Registered r = register();
        try (SecretHubClient other = SecretHubClient.connect(restartable.server.url(), restartable.caFile)) {
            SecretHubAgent agent = SecretHubAgent.connect(other, r.keys(), r.certificate(), agentToken,
                    List.of("app/resync/a", "app/resync/b"), changes::add);
            try {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                assertThat(List.of(next(changes).version(), next(changes).version())).containsOnly(1);

                restartable.close();
                // While no server is there: a new version of one, the other deleted.
                first.hub.secrets().write(root, "app/resync/a", Map.of("v", "2"));
                first.hub.secrets().delete(root, "app/resync/b");
                // The process comes back: same address and TLS identity, a new hub (unsealed again).
                restartable = TestServer.restart(db, restartable, port);
                restartable.hub.sys().unseal(share);

                SecretHubAgent.LocalSecret one = next(changes);
                SecretHubAgent.LocalSecret two = next(changes);
                Map<String, SecretHubAgent.LocalSecret> byPath = Map.of(one.path(), one, two.path(), two);
                assertThat(byPath.get("app/resync/a").version()).isEqualTo(2);
                assertThat(byPath.get("app/resync/a").data()).containsEntry("v", "2");
                assertThat(byPath.get("app/resync/b").deleted()).isTrue();
                assertThat(agent.connects()).isGreaterThanOrEqualTo(2);
            } finally {
                agent.close();
                restartable.close();
            }
        }
    }

    @Test
    void afterAReconnectTheServerAnswersWithWhatChanged() throws Exception {
        first.hub.secrets().write(root, "app/sync/held", Map.of("v", "1"));
        first.hub.secrets().write(root, "app/sync/held", Map.of("v", "2"));
        first.hub.secrets().write(root, "app/sync/same", Map.of("v", "1"));
        try (RawWebSocket socket = raw(register(), agentToken)) {
            socket.sendText("{\"id\":1,\"type\":\"sync\",\"versions\":{\"app/sync/held\":1,\"app/sync/same\":1,"
                    + "\"other/x\":3}}");
            String answer = socket.readText();
            assertThat(answer).contains("\"type\":\"synced\"").contains("\"path\":\"app/sync/held\",\"version\":2")
                    .doesNotContain("\"path\":\"app/sync/same\"").contains("\"denied\":[\"other/x\"]");
        }
    }

    @Test
    void anAgentConnectsOverASessionMadeBeforehandAndOnlyOverOneWithACertificate() throws Exception {
        first.hub.secrets().write(root, "app/prepared", Map.of("v", "1"));
        Registered r = register();
        SecretHubClient.Session prepared = client.agent(r.keys(), r.certificate());
        try (SecretHubAgent agent = SecretHubAgent.connect(prepared, agentToken, List.of(), null)) {
            assertThat(agent.awaitSynced(WAIT)).isTrue();
            assertThat(agent.read("app/prepared")).containsEntry("v", "1");
        }
        for (SecretHubClient.Session withoutCertificate : List.of(client.anonymous(), client.newConnection())) {
            assertThatThrownBy(() -> SecretHubAgent.connect(withoutCertificate, agentToken, List.of(), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("SecretHubClient.agent");
        }
    }

    // --- bad input: each refused, and the server goes on serving ---

    @Test
    void anUpgradeWithoutAClientCertificateIsRefused() throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(first.server.port(), first.caFile, null, null, agentToken)) {
            assertThat(socket.status).isEqualTo(403);
            assertThat(socket.refusalBody()).contains("client certificate required");
        }
        assertStillServing();
    }

    @Test
    void anUpgradeWithAnotherCasCertificateIsRefused() throws Exception {
        AgentKeys keys = AgentKeys.generate("impostor");
        try (RawWebSocket socket = RawWebSocket.open(first.server.port(), first.caFile, keys,
                AgentMtlsTest.selfSigned(keys, keys.agentId()), agentToken)) {
            assertThat(socket.status).isEqualTo(403);
            assertThat(socket.refusalBody()).contains("untrusted");
        }
        assertStillServing();
    }

    @Test
    void anUpgradeWithARevokedCertificateIsRefused() throws Exception {
        Registered r = register();
        first.hub.agents().revoke(root, r.keys().agentId());
        try (RawWebSocket socket = RawWebSocket.open(first.server.port(), first.caFile, r.keys(), r.certificate(),
                agentToken)) {
            assertThat(socket.status).isEqualTo(403);
            assertThat(socket.refusalBody()).contains("revoked");
        }
        assertStillServing();
    }

    @Test
    void anUpgradeWithAnInvalidTokenIsRefused() throws Exception {
        Registered r = register();
        try (RawWebSocket socket = RawWebSocket.open(first.server.port(), first.caFile, r.keys(), r.certificate(),
                "hvs.garbage")) {
            assertThat(socket.status).isEqualTo(403);
            assertThat(socket.refusalBody()).contains("permission denied");
        }
    }

    @Test
    void theTokenMayComeInTheFirstMessageAndNothingElseMayComeFirst() throws Exception {
        Registered r = register();
        try (RawWebSocket socket = raw(r, null)) {
            socket.sendText("{\"id\":\"a\",\"type\":\"auth\",\"token\":\"" + agentToken + "\"}");
            assertThat(socket.readText()).contains("\"type\":\"authenticated\"");
            first.hub.secrets().write(root, "app/first-message", Map.of("v", "1"));
            socket.sendText("{\"id\":\"b\",\"type\":\"read\",\"path\":\"app/first-message\"}");
            assertThat(socket.readText()).contains("\"type\":\"secret\"").contains("\"version\":1");
        }
        try (RawWebSocket socket = raw(r, null)) {
            socket.sendText("{\"id\":1,\"type\":\"read\",\"path\":\"app/first-message\"}");
            assertThat(socket.awaitClose()).isEqualTo(CloseCodes.UNAUTHENTICATED);
        }
    }

    @Test
    void malformedJsonAnUnknownTypeABinaryFrameAndAForbiddenSubscribeAreAnsweredAndTheSocketStaysOpen()
            throws Exception {
        first.hub.secrets().write(root, "app/still-open", Map.of("v", "1"));
        try (RawWebSocket socket = raw(register(), agentToken)) {
            socket.sendText("{not json");
            assertThat(socket.readText()).contains("\"type\":\"error\"").contains("\"status\":400")
                    .contains("malformed JSON");
            socket.sendText("{\"id\":2,\"type\":\"launch-missiles\"}");
            assertThat(socket.readText()).contains("\"id\":2").contains("unknown message type");
            socket.sendFrame(RawWebSocket.BINARY, new byte[] {1, 2, 3});
            assertThat(socket.readText()).contains("binary messages are not accepted");
            socket.sendText("{\"id\":3,\"type\":\"subscribe\",\"path\":\"other/forbidden\"}");
            assertThat(socket.readText()).contains("\"id\":3").contains("\"status\":403").contains("permission denied");
            socket.sendText("{\"id\":4,\"type\":\"subscribe\",\"prefix\":\"other/\"}");
            assertThat(socket.readText()).contains("\"id\":4").contains("\"status\":403");

            socket.sendText("{\"id\":5,\"type\":\"read\",\"path\":\"app/still-open\"}");
            assertThat(socket.readText()).contains("\"id\":5").contains("\"type\":\"secret\"");
        }
    }

    @Test
    void aGarbageFrameClosesOnlyThatSocket() throws Exception {
        try (RawWebSocket socket = raw(register(), agentToken)) {
            // Reserved opcode 3, and an unmasked frame: both protocol errors.
            socket.sendRaw(new byte[] {(byte) 0x83, 0x02, 'h', 'i'});
            assertThat(socket.awaitClose()).isEqualTo(1002);
        }
        assertStillServing();
    }

    @Test
    void anOversizedMessageClosesTheSocketWithMessageTooBig() throws Exception {
        try (RawWebSocket socket = raw(register(), agentToken)) {
            socket.sendText("{\"id\":1,\"type\":\"read\",\"path\":\"" + "a".repeat(LIMITS.maxMessageBytes() + 1)
                    + "\"}");
            assertThat(socket.awaitClose()).isEqualTo(1009);
        }
        assertStillServing();
    }

    @Test
    void aMessageInSeveralFramesIsPutTogetherAndAPingIsAnswered() throws Exception {
        first.hub.secrets().write(root, "app/fragmented", Map.of("v", "1"));
        try (RawWebSocket socket = raw(register(), agentToken)) {
            byte[] message = "{\"id\":7,\"type\":\"read\",\"path\":\"app/fragmented\",\"note\":\"\u00e9t\u00e9\"}"
                    .getBytes(StandardCharsets.UTF_8);
            int cut = new String(message, StandardCharsets.UTF_8).indexOf('\u00e9') + 1; // inside the two-byte é
            socket.sendFrame(RawWebSocket.TEXT, false, Arrays.copyOfRange(message, 0, 5));
            socket.sendFrame(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(message, 5, cut));
            socket.sendFrame(RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8)); // between frames
            socket.sendFrame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(message, cut, message.length));
            RawWebSocket.Frame pong = socket.read(false);
            assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
            assertThat(pong.text()).isEqualTo("are you there");
            assertThat(socket.readText()).contains("\"id\":7").contains("\"type\":\"secret\"");
        }
    }

    @Test
    void aMessageOverTheLimitInSeveralFramesClosesTheSocketWithMessageTooBig() throws Exception {
        try (RawWebSocket socket = raw(register(), agentToken)) {
            byte[] half = new byte[LIMITS.maxMessageBytes() / 2 + 1];
            Arrays.fill(half, (byte) 'a');
            socket.sendFrame(RawWebSocket.TEXT, false, half);
            socket.sendFrame(RawWebSocket.CONTINUATION, true, half);
            assertThat(socket.awaitClose()).isEqualTo(1009);
        }
        assertStillServing();
    }

    @Test
    void textThatIsNotUtf8ClosesTheSocketWithBadPayload() throws Exception {
        try (RawWebSocket socket = raw(register(), agentToken)) {
            socket.sendFrame(RawWebSocket.TEXT, new byte[] {'{', (byte) 0xc3, '}'});
            assertThat(socket.awaitClose()).isEqualTo(1007);
        }
    }

    @Test
    void permessageDeflateIsNeverNegotiated() throws Exception {
        Registered r = register();
        try (RawWebSocket socket = RawWebSocket.open(first.server.port(), first.caFile, r.keys(), r.certificate(),
                agentToken, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n")) {
            assertThat(socket.status).as(socket.responseHead).isEqualTo(101);
            assertThat(socket.responseHead.toLowerCase(java.util.Locale.ROOT))
                    .doesNotContain("sec-websocket-extensions");
            socket.sendText("{\"id\":1,\"type\":\"read\",\"path\":\"app/none\"}");
            assertThat(socket.readText()).contains("\"id\":1"); // uncompressed frames, read as sent
        }
    }

    @Test
    void aFloodIsRateLimitedThenClosed() throws Exception {
        int before = first.server.agentChannel().closedWith(CloseCodes.RATE_LIMITED);
        try (RawWebSocket socket = raw(register(), agentToken)) {
            byte[] message = "{\"type\":\"nothing\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 500; i++) {
                socket.sendFrame(RawWebSocket.TEXT, message);
            }
            boolean refused = false;
            int code;
            while (true) {
                RawWebSocket.Frame frame = socket.read();
                if (frame == null || frame.opcode() == RawWebSocket.CLOSE) {
                    code = frame == null ? -1 : frame.closeCode();
                    break;
                }
                refused |= frame.text().contains("\"status\":429");
            }
            assertThat(refused).as("told to slow down before being closed").isTrue();
            assertThat(code).isEqualTo(CloseCodes.RATE_LIMITED);
        }
        assertThat(first.server.agentChannel().closedWith(CloseCodes.RATE_LIMITED)).isEqualTo(before + 1);
        assertStillServing();
    }

    @Test
    void aClientThatNeverReadsIsClosedByBackpressure() throws Exception {
        first.hub.secrets().write(root, "app/large", Map.of("blob", "x".repeat(300_000)));
        int before = first.server.agentChannel().closedWith(CloseCodes.SLOW_CONSUMER);
        try (RawWebSocket socket = raw(register(), agentToken)) {
            // Within the rate limit's burst; each answer is 300 KB, which this client never takes.
            for (int i = 0; i < 36; i++) {
                socket.sendText("{\"id\":" + i + ",\"type\":\"read\",\"path\":\"app/large\"}");
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (first.server.agentChannel().closedWith(CloseCodes.SLOW_CONSUMER) == before
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(first.server.agentChannel().closedWith(CloseCodes.SLOW_CONSUMER)).isEqualTo(before + 1);
        }
        assertStillServing();
    }

    @Test
    void aPeerThatAnswersNoPingIsClosedWithinTwoHeartbeats() throws Exception {
        TestServer beating = unsealedWithHeartbeat(Duration.ofMillis(200));
        try {
            Registered r = register();
            try (RawWebSocket socket = RawWebSocket.open(beating.server.port(), beating.caFile, r.keys(),
                    r.certificate(),
                    agentToken)) {
                assertThat(socket.status).isEqualTo(101);
                // This client reads nothing, so it answers no ping: the server drops it.
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (beating.server.agentChannel().closedWith(CloseCodes.HEARTBEAT_TIMEOUT) == 0
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(beating.server.agentChannel().closedWith(CloseCodes.HEARTBEAT_TIMEOUT)).isEqualTo(1);
            }
            // A peer that answers stays: the library client pongs by itself.
            try (SecretHubClient other = SecretHubClient.connect(beating.server.url(), beating.caFile);
                    SecretHubAgent agent = SecretHubAgent.connect(other, r.keys(), r.certificate(), agentToken,
                            List.of(), null)) {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                Thread.sleep(1000); // five heartbeats
                assertThat(agent.connects()).isEqualTo(1);
                assertThat(agent.isConnected()).isTrue();
            }
        } finally {
            beating.close();
        }
    }

    @Test
    void anAgentThatSendsNothingStaysConnectedOnTheServersPingsAlone() throws Exception {
        // Heartbeat 400 ms; the agent's idle timeout 1 s, more than two heartbeats, as the default (75 s) is of the
        // server's default (30 s). The agent reads nothing for 3 s: only the pings keep its socket alive.
        TestServer beating = unsealedWithHeartbeat(Duration.ofMillis(400));
        try {
            Registered r = register();
            try (SecretHubClient other = SecretHubClient.builder().addresses(List.of(beating.server.url()))
                    .trust(beating.caFile).agentIdleTimeout(Duration.ofSeconds(1)).build();
                    SecretHubAgent agent = SecretHubAgent.connect(other, r.keys(), r.certificate(), agentToken,
                            List.of(), null)) {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                Thread.sleep(3000);
                assertThat(agent.connects()).as("connections made").isEqualTo(1);
                assertThat(agent.isConnected()).isTrue();
            }
            // and one whose idle timeout is shorter than the heartbeat drops its socket and reconnects
            try (SecretHubClient impatient = SecretHubClient.builder().addresses(List.of(beating.server.url()))
                    .trust(beating.caFile).agentIdleTimeout(Duration.ofMillis(150)).build();
                    SecretHubAgent agent = SecretHubAgent.connect(impatient, r.keys(), r.certificate(), agentToken,
                            List.of(), null)) {
                assertThat(agent.awaitSynced(WAIT)).isTrue();
                Thread.sleep(3000);
                assertThat(agent.connects()).as("connections made").isGreaterThan(1);
            }
        } finally {
            beating.close();
        }
    }

    private static TestServer unsealedWithHeartbeat(Duration heartbeat) throws Exception {
        TestServer server = TestServer.start(db, b -> b.channelSettings(ChannelSettings.defaults()
                .withHeartbeat(heartbeat)));
        try {
            server.hub.sys().unseal(share);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Another agent connects and reads: one bad connection did not hurt the server. */
    private static void assertStillServing() throws Exception {
        first.hub.secrets().write(root, "app/alive", Map.of("v", "1"));
        try (RawWebSocket socket = raw(register(), agentToken)) {
            socket.sendText("{\"id\":\"alive\",\"type\":\"read\",\"path\":\"app/alive\"}");
            assertThat(socket.readText()).contains("\"id\":\"alive\"").contains("\"type\":\"secret\"");
        }
    }

    private static SecretHubAgent.LocalSecret next(BlockingQueue<SecretHubAgent.LocalSecret> changes)
            throws InterruptedException {
        SecretHubAgent.LocalSecret next = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(next).as("a change within " + WAIT).isNotNull();
        return next;
    }
}
