package io.secrethub.perftests;

import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.Agent;
import io.secrethub.perf.BeforeAgent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.LoadTestResult;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.MaxP95;
import io.secrethub.perf.MaxP99;
import io.secrethub.perf.MinThroughput;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.ListenAddress;
import io.secrethub.server.SecretHubServer;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubClient;
import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.ServerIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import javax.net.ssl.TrustManager;
import javax.net.ssl.KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The four phases of {@link AgentLoadTest} — registration, AppRole login, secret reads, a 70/30 read/write mix —
 * through the HTTPS server on a free loopback port, each agent over its own keep-alive connection (mutual TLS
 * once it has a certificate), gated on the same MVP targets. The difference between the two tables is what
 * TLS, HTTP, JSON and the network stack cost an agent.
 *
 * <p>The server runs in this JVM by default; {@code -Dsecrethub.perf.server=process} starts it as a separate
 * process ({@code java … io.secrethub.server.Main}) on the same database, so the load generator and the server
 * can be measured apart. Set-up (policies, roles, the registrar token, the seeded secrets) is done through a
 * local SecretHub instance on the same database, not measured; a process server is unsealed over the API with
 * the same shares.
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
@TestMethodOrder(OrderAnnotation.class)
class AgentHttpLoadTest {

    static final String SERVER_MODE_KEY = "secrethub.perf.server";

    /*
     * The MVP phases run in the open model at a fixed rate a fifth above each throughput target, so the latency
     * targets are judged at the load the table names (a closed loop of 100 agents saturates the 2-core box, where
     * latency is only concurrency divided by throughput). -Dperf.AgentHttpLoadTest.rate=0 runs them closed, at
     * saturation, for the side-by-side throughput ratios with the in-process phases.
     */
    static final double REGISTRATION_RATE = 60;
    static final double AUTHENTICATION_RATE = 120;
    static final double READ_RATE = 600;
    static final double MIXED_RATE = 240;
    /**
     * Each phase warms up until its throughput stops changing, at most 30 s: through TLS, HTTP and JSON the JIT takes
     * tens of seconds on 2 cores, and a phase run alone after a fixed 2 s warm-up measured 2,405 reads/s (closed
     * model) where a steady warm-up measured 9,608 and 9,611/s.
     */
    static final String WARMUP = "steady:30s";
    /**
     * How long each phase measures (before {@code perf.scale}). The MVP phases hold a fixed rate, so their throughput
     * is set rather than measured and 10 s suffices (1,200 logins, enough for the p99 gate); {@link AgentLoadTest}'s
     * closed-model phases measure 20 s so that their throughput repeats between runs.
     */
    static final String PHASE = "10s";
    /** Successful operations a p99 gate needs, so that its tail is 10 operations, not one or two (README). */
    static final int P99_MIN_SAMPLES = 1_000;

    private static final String AGENT_ROLE = "agent";
    private static final String REGISTRAR_ROLE = "registrar";
    private static final Duration TOKEN_TTL = Registrar.TOKEN_TTL;

    /** Keys of {@link Agent#state()}; prefixed so they never meet {@link AgentLoadTest}'s. */
    private static final String CONNECTION = "http.connection";
    private static final String REGISTRATIONS = "http.registrations";
    private static final String SESSION = "http.session";
    private static final String SECRET_ID = "http.secretId";
    private static final String TOKEN = "http.token";
    private static final String KEYS = "http.keys";
    private static final String CERTIFICATE = "http.certificate";
    private static final String BASELINE_SESSION = "http.baselineSession";
    private static final String HANDSHAKE_KEY = "http.handshakeKey";

    private static UnsealedHub vault;
    private static SecretHub hub;
    private static ServerUnderTest server;
    private static SecretHubClient client;
    private static NetworkBaseline baseline;
    private static SecretHubClient baselineClient;
    private static TrustManager[] serverTrust;
    private static int secretCount;
    private static String registrarToken;
    private static String agentRoleId;
    /** The phase about to run, so {@link #prepare} knows what it needs. */
    private static volatile String phase;

    private static final Set<String> PHASES_NEEDING_AN_IDENTITY = Set.of("authentication", "secretReads",
            "mixedWorkload", "httpStackBaseline", "tlsHandshakes");
    /** Phases that measure the network path's ceilings rather than SecretHub. */
    private static final Set<String> CEILING_PHASES = Set.of("httpStackBaseline", "tlsHandshakes");
    private static final Set<String> PHASES_NEEDING_A_TOKEN = Set.of("secretReads", "mixedWorkload");

    @BeforeAll
    static void setUp(DataSource dataSource, SuiteSettings settings) throws Exception {
        vault = UnsealedHub.open(dataSource, settings);
        hub = vault.hub();
        String root = vault.rootToken();
        secretCount = settings.positiveInt(AgentLoadTest.SECRET_COUNT_KEY, AgentLoadTest.DEFAULT_SECRET_COUNT);

        hub.policies().write(root, Policy.builder(AGENT_ROLE)
                .path("secret/data/app/*", Capability.READ)
                .path("secret/data/app/mixed/*", Capability.CREATE, Capability.UPDATE, Capability.READ)
                .build());
        hub.policies().write(root, Policy.builder(REGISTRAR_ROLE).path("agents/*", Capability.CREATE).build());
        hub.auth().appRole().writeRole(root, AGENT_ROLE, AppRoleSettings.builder()
                .policies(AGENT_ROLE)
                .tokenTtl(TOKEN_TTL).tokenMaxTtl(TOKEN_TTL)
                .secretIdTtl(TOKEN_TTL)
                .boundCidrs("127.0.0.0/8") // the agents reach the server over loopback
                .build());
        agentRoleId = hub.auth().appRole().roleId(root, AGENT_ROLE);
        registrarToken = Registrar.token(hub, root, REGISTRAR_ROLE);
        for (int i = 0; i < secretCount; i++) {
            hub.secrets().write(root, ConfigSecrets.configPath(i), ConfigSecrets.configValue(i));
        }

        Path tls = Files.createTempDirectory("secrethub-perf-tls-");
        server = "process".equals(System.getProperty(SERVER_MODE_KEY))
                ? ServerUnderTest.process(dataSource, tls, vault)
                : ServerUnderTest.inJvm(dataSource, tls, vault);
        client = SecretHubClient.connect(server.url(), server.caFile());
        serverTrust = NetworkBaseline.trusting(server.caFile());
    }

    @AfterEach
    void record(LoadTestResult result) {
        if (CEILING_PHASES.contains(result.method())) {
            InProcessVsNetwork.ceiling(result);
        } else {
            InProcessVsNetwork.record(InProcessVsNetwork.Path.NETWORK, result);
        }
    }

    @AfterAll
    static void tearDown() {
        InProcessVsNetwork.printWhenBothRan();
        try {
            if (baselineClient != null) {
                baselineClient.close();
            }
            if (baseline != null) {
                baseline.close();
            }
            if (client != null) {
                client.close();
            }
            if (server != null) {
                server.close();
            }
        } finally {
            if (vault != null) {
                vault.close();
            }
        }
    }

    /**
     * Each agent gets one secret_id and one keep-alive connection for the whole class. A phase whose agent has no
     * certificate or token yet (the IDE's run button on one phase, or an earlier phase with fewer agents) gets them
     * here, unmeasured, through the same API, so every phase can run alone.
     */
    @BeforeAgent
    void prepare(Agent agent) throws Exception {
        String secretId = (String) agent.state().computeIfAbsent(SECRET_ID,
                key -> hub.auth().appRole().generateSecretId(vault.rootToken(), AGENT_ROLE).secretId());
        SecretHubClient.Session connection = (SecretHubClient.Session) agent.state()
                .computeIfAbsent(CONNECTION, key -> client.newConnection());
        if (PHASES_NEEDING_AN_IDENTITY.contains(phase) && !agent.state().containsKey(SESSION)) {
            AgentKeys keys = AgentKeys.generate("agent-" + agent.id() + "-setup");
            keepIdentity(agent, keys, connection.registerAgent(registrarToken, keys));
        }
        if (PHASES_NEEDING_A_TOKEN.contains(phase) && !agent.state().containsKey(TOKEN)) {
            agent.state().put(TOKEN, session(agent).appRoleLogin(agentRoleId, secretId));
        }
    }

    @BeforeEach
    void notePhase(TestInfo test) {
        phase = test.getTestMethod().orElseThrow().getName();
    }

    @Order(1)
    @LoadTest(agents = 100, rate = REGISTRATION_RATE, duration = PHASE, warmup = WARMUP)
    @MinThroughput(50)
    @MaxErrorRate(0)
    void registration(Agent agent) throws Exception {
        int n = (Integer) agent.state().merge(REGISTRATIONS, 1, (a, b) -> (Integer) a + (Integer) b);
        AgentKeys keys = AgentKeys.generate("agent-" + agent.id() + "-" + n);
        SecretHubClient.Session connection = (SecretHubClient.Session) agent.state().get(CONNECTION);

        String certificate = agent.time("register", () -> connection.registerAgent(registrarToken, keys));

        if (certificate == null || !certificate.startsWith("-----BEGIN CERTIFICATE-----")) {
            throw new AssertionError("registration of " + keys.agentId() + " returned no certificate");
        }
        if (!agent.state().containsKey(SESSION)) {
            keepIdentity(agent, keys, certificate);
        }
    }

    /**
     * The p99 is judged on 1,000 logins or more (its slowest 1% then 10 of them): at 120/s that is the full scale's
     * 1,200, while CI's scale 0.3 has 360, whose p99 is the fourth slowest login, so three slow requests decide it
     * (a CI run failed at 202 ms where its neighbours measured 10-12 ms). There it is reported inconclusive; the p95
     * (the 18 slowest at CI scale) and the throughput gate stay as they were.
     */
    @Order(2)
    @LoadTest(agents = 100, rate = AUTHENTICATION_RATE, duration = PHASE, warmup = WARMUP)
    @MinThroughput(100)
    @MaxP95("100ms")
    @MaxP99(value = "200ms", minSamples = P99_MIN_SAMPLES)
    @MaxErrorRate(0)
    void authentication(Agent agent) {
        String token = session(agent).appRoleLogin(agentRoleId, (String) agent.state().get(SECRET_ID));
        agent.state().put(TOKEN, token);
    }

    /**
     * The MVP's read latency, p95 under 50 ms, through HTTPS. With a fixed 2 s warm-up it was not reliably met: p95
     * 24 ms in a full quiet suite run (after the earlier phases warmed the path) but 54-90 ms when this phase ran
     * alone or early, and 177 ms once in CI, so the gate was 250 ms. That was the JIT still compiling the TLS, HTTP
     * and JSON paths; after a steady warm-up ({@link #WARMUP}) the phase alone at CI's scale measured p95 3.53 and
     * 3.93 ms.
     */
    @Order(3)
    @LoadTest(agents = 100, rate = READ_RATE, duration = PHASE, warmup = WARMUP)
    @MinThroughput(500)
    @MaxP95("50ms")
    @MaxErrorRate(0)
    void secretReads(Agent agent) {
        int n = agent.random().nextInt(secretCount);
        requireConfigValue(session(agent).kvRead(token(agent), ConfigSecrets.configPath(n)), n);
    }

    @Order(4)
    @LoadTest(agents = 100, rate = MIXED_RATE, duration = PHASE, warmup = WARMUP)
    @MinThroughput(200)
    @MaxErrorRate(0)
    void mixedWorkload(Agent agent) throws Exception {
        SecretHubClient.Session session = session(agent);
        String token = token(agent);
        if (agent.random().nextInt(100) < 70) {
            int n = agent.random().nextInt(secretCount);
            Map<String, String> data = agent.time("read", () -> session.kvRead(token, ConfigSecrets.configPath(n)));
            requireConfigValue(data, n);
        } else {
            Map<String, String> status = Map.of("agent", Integer.toString(agent.id()),
                    "iteration", Long.toString(agent.iteration()));
            agent.time("write", () -> session.kvWrite(token, "app/mixed/agent-" + agent.id(), status, null));
        }
    }

    /**
     * The HTTP stack's own limit here: the same agents, each over its own mutual-TLS keep-alive connection, against a
     * server with the API server's exact TLS, HTTP and thread set-up that answers a fixed 200-byte body. HTTPS reads
     * are judged against this ceiling (issue figures: at least 40% of it). Started in this JVM in either server mode.
     */
    @LongScenario
    @Order(5)
    @LoadTest(agents = 100, duration = PHASE, warmup = WARMUP)
    @MaxErrorRate(0)
    void httpStackBaseline(Agent agent) throws Exception {
        SecretHubClient.Session session = (SecretHubClient.Session) agent.state().computeIfAbsent(BASELINE_SESSION,
                key -> baselineClient().agent((AgentKeys) agent.state().get(KEYS),
                        (String) agent.state().get(CERTIFICATE)));
        if (!Boolean.TRUE.equals(session.health().get("initialized"))) {
            throw new AssertionError("the baseline server answered something else");
        }
    }

    /**
     * Full TLS 1.3 handshakes with mutual authentication, as a newly started agent makes them: each invocation opens a
     * connection with a fresh TLS context (nothing resumed) presenting the agent's P-256 certificate from the internal
     * CA, completes the handshake, and closes. No HTTP request follows.
     */
    @LongScenario
    @Order(6)
    @LoadTest(agents = 100, duration = PHASE, warmup = WARMUP)
    @MaxErrorRate(0)
    void tlsHandshakes(Agent agent) throws Exception {
        KeyManager[] key = (KeyManager[]) agent.state().get(HANDSHAKE_KEY);
        if (key == null) {
            key = NetworkBaseline.agentKey(((AgentKeys) agent.state().get(KEYS)).keyPair(),
                    (String) agent.state().get(CERTIFICATE));
            agent.state().put(HANDSHAKE_KEY, key);
        }
        NetworkBaseline.fullHandshake(URI.create(server.url()).getPort(), key, serverTrust);
    }

    private static synchronized SecretHubClient baselineClient() {
        if (baselineClient == null) {
            try {
                baseline = NetworkBaseline.start();
                // The agents' certificates are not checked there; the client trusts the baseline's own dev CA.
                baselineClient = SecretHubClient.connect(baseline.url(), baseline.caFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return baselineClient;
    }

    /** The agent's first identity is the one it keeps: later phases run over its own mTLS connection. */
    private static void keepIdentity(Agent agent, AgentKeys keys, String certificate) {
        agent.state().put(KEYS, keys);
        agent.state().put(CERTIFICATE, certificate);
        agent.state().put(SESSION, client.agent(keys, certificate));
    }

    private static void requireConfigValue(Map<String, String> data, int n) {
        if (data == null || !("config-value-" + n).equals(data.get("value"))) {
            throw new AssertionError("read of " + ConfigSecrets.configPath(n) + " returned the wrong data");
        }
    }

    private static SecretHubClient.Session session(Agent agent) {
        Object session = agent.state().get(SESSION);
        if (session == null) {
            throw new IllegalStateException("agent " + agent.id() + " has no certificate: the registration phase"
                    + " must run first, with at least as many agents");
        }
        return (SecretHubClient.Session) session;
    }

    private static String token(Agent agent) {
        Object token = agent.state().get(TOKEN);
        if (token == null) {
            throw new IllegalStateException("agent " + agent.id() + " has no token: the authentication phase"
                    + " must run first, with at least as many agents");
        }
        return (String) token;
    }

    /** The server the agents talk to: in this JVM, or a separate process on the same database. */
    private interface ServerUnderTest extends AutoCloseable {

        String url();

        Path caFile();

        @Override
        void close();

        static ServerUnderTest inJvm(DataSource dataSource, Path tls, UnsealedHub vault) throws IOException {
            // An instance of its own, as a deployed server would be; the set-up instance shares the database.
            SecretHub served = SecretHub.builder().dataSource(dataSource).build();
            UnsealedHub.unseal(served, vault.shares());
            ServerIdentity identity = DevTls.create("127.0.0.1", tls);
            SecretHubServer running = SecretHubServer.builder().hub(served)
                    .address(new ListenAddress("127.0.0.1", 0)).identity(identity).build().start();
            return new ServerUnderTest() {
                @Override
                public String url() {
                    return running.url();
                }

                @Override
                public Path caFile() {
                    return identity.caFile().orElseThrow();
                }

                @Override
                public void close() {
                    try {
                        running.close();
                    } finally {
                        served.close();
                    }
                }
            };
        }

        static ServerUnderTest process(DataSource dataSource, Path tls, UnsealedHub vault) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(ServerProcesses.java(), "-cp",
                    System.getProperty("java.class.path"), ServerProcesses.MAIN);
            ServerProcesses.useDatabase(builder.environment(), dataSource);
            builder.environment().put("SECRETHUB_ADDR", "127.0.0.1:0");
            builder.environment().put("SECRETHUB_TLS_DIR", tls.toString());
            ServerProcesses.Started started = ServerProcesses.start(builder);
            Process process = started.process();
            String base = started.url();
            Path ca = tls.resolve("ca.pem");
            ServerProcesses.unseal(base, ca, vault.shares());
            return new ServerUnderTest() {
                @Override
                public String url() {
                    return base;
                }

                @Override
                public Path caFile() {
                    return ca;
                }

                @Override
                public void close() {
                    process.destroy(); // SIGTERM: drain, flush, exit 0
                    try {
                        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        process.destroyForcibly();
                    }
                }
            };
        }
    }
}
