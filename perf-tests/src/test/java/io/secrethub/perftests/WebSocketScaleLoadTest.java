package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.SecretHub;
import io.secrethub.core.policy.Capability;
import io.secrethub.core.policy.Policy;
import io.secrethub.perf.Agent;
import io.secrethub.perf.LoadTest;
import io.secrethub.perf.MaxErrorRate;
import io.secrethub.perf.db.PostgresDatabase;
import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.client.SecretHubAgent;
import io.secrethub.server.client.SecretHubClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Many agents on the WebSocket channel of a server running as a separate process (so the generator's memory is
 * not counted against the server): a connect storm, steady reads over the sockets (open model), the server's memory
 * per connection, fan-out of one change to every agent, and a reconnect storm after the server process restarts.
 *
 * <p>{@code -Dperf.agents} sets the number of agents (default {@value #DEFAULT_AGENTS}; 10000 for the full scale);
 * {@code -Dperf.scale} shortens the steady phase as for every load test. Each agent holds one socket here and the
 * server one per agent: the server is started through {@code sh -c "ulimit -n …"} to raise its open-file limit to
 * {@value #OPEN_FILES} (or the hard limit), and this JVM needs as many (check {@code ulimit -n}; raise it in the
 * shell that runs Maven).
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
@TestMethodOrder(OrderAnnotation.class)
@LongScenario
class WebSocketScaleLoadTest {

    static final int DEFAULT_AGENTS = 1000;
    static final int OPEN_FILES = 65536;
    static final String FANOUT_WRITES_KEY = "secrethub.perf.ws.fanout.writes";
    /**
     * A directory: the server's class histogram ({@code jcmd GC.class_histogram}) is written there at the baseline
     * and with every agent connected, with the top classes' growth per connection printed, and a heap dump of the
     * connected server ({@code connected.hprof}) for a closer look at what holds what.
     */
    static final String DIAGNOSTICS_KEY = "secrethub.perf.ws.diagnostics";
    /** The server's {@code SECRETHUB_MAX_HANDSHAKES} (its default when unset), to compare bounds. */
    static final String MAX_HANDSHAKES_KEY = "secrethub.perf.ws.maxHandshakes";
    private static final String FANOUT = "app/fanout";
    private static final int CONFIG_SECRETS = 20;
    /** Bounds each wait so a broken build ends; generous, since a contended machine is slow: not a target. */
    private static final Duration WAIT = Duration.ofSeconds(300);

    private static DataSource database;
    private static UnsealedHub vault;
    private static SecretHub hub;
    private static ServerProcess server;
    private static SecretHubClient client;
    private static int agentCount;
    private static int fanoutWrites;
    private static AgentKeys[] keys;
    private static String[] certificates;
    private static String[] tokens;
    private static SecretHubClient.Session[] sessions;
    private static SecretHubAgent[] agents;
    private static long[] baseline;
    private static Path diagnostics;
    private static String maxHandshakes;
    /** Per agent: the latest fan-out version it holds and, per version written in the fan-out phase, when it came. */
    private static volatile int fanoutBase;
    private static AtomicLongArray[] receipts;
    private static final AtomicInteger DUPLICATES = new AtomicInteger();

    @BeforeAll
    static void setUp(DataSource dataSource, SuiteSettings settings) throws Exception {
        database = dataSource;
        agentCount = settings.positiveInt("perf.agents", DEFAULT_AGENTS);
        fanoutWrites = settings.positiveInt(FANOUT_WRITES_KEY, 5);
        vault = UnsealedHub.open(dataSource, settings);
        hub = vault.hub();
        String root = vault.rootToken();
        hub.policies().write(root, Policy.builder("ws-agent").path("secret/data/app/*", Capability.READ).build());
        hub.secrets().write(root, FANOUT, Map.of("v", "0"));
        for (int i = 0; i < CONFIG_SECRETS; i++) {
            hub.secrets().write(root, "app/config/" + i, Map.of("value", "config-" + i));
        }
        // Each agent: its own key, certificate (through core, not measured) and token.
        keys = new AgentKeys[agentCount];
        certificates = new String[agentCount];
        tokens = new String[agentCount];
        IntStream.range(0, agentCount).parallel().forEach(i -> {
            keys[i] = AgentKeys.generate("ws-" + i);
            certificates[i] = hub.agents().register(root, keys[i].agentId(), keys[i].csrPem(), Map.of())
                    .certificatePem();
            tokens[i] = hub.auth().tokens().create(root, List.of("ws-agent"), Duration.ofHours(2), "ws-" + i).token();
        });
        agents = new SecretHubAgent[agentCount];

        maxHandshakes = settings.optional(MAX_HANDSHAKES_KEY).orElse(null);
        server = ServerProcess.start(dataSource, Files.createTempDirectory("secrethub-ws-tls-"), 0);
        server.unseal(vault.shares());
        client = SecretHubClient.connect(server.url(), server.caFile());
        // Each agent's key and certificate go into its own TLS context now, as an agent does once when it starts:
        // the storm measures connecting, not loading keys (about 1 ms of CPU each, 10 s for 10,000 agents).
        sessions = new SecretHubClient.Session[agentCount];
        IntStream.range(0, agentCount).parallel().forEach(i -> sessions[i] = client.agent(keys[i], certificates[i]));
        baseline = server.memory();
        diagnostics = settings.optional(DIAGNOSTICS_KEY).map(Path::of).orElse(null);
        if (diagnostics != null) {
            Files.createDirectories(diagnostics);
            server.histogram(diagnostics.resolve("histogram-start.txt"));
        }
    }

    @AfterAll
    static void tearDown() {
        try {
            if (agents != null) {
                printFailedAttempts("at the end");
                Arrays.stream(agents).filter(a -> a != null).forEach(SecretHubAgent::close);
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

    /** Phase 1: every agent connects at once (TLS handshake, upgrade, token, first sync). */
    @Order(1)
    @LoadTest(agents = DEFAULT_AGENTS, iterations = 1, timeout = "5m")
    @MaxErrorRate(0.0)
    void connectStorm(Agent agent) throws InterruptedException {
        int i = agent.id();
        SecretHubAgent connected = SecretHubAgent.connect(sessions[i], tokens[i], List.of(FANOUT),
                changed -> received(i, changed));
        agents[i] = connected;
        if (!connected.awaitSynced(WAIT)) {
            throw new IllegalStateException("agent " + i + " not connected and synchronized within " + WAIT);
        }
    }

    /**
     * Before each phase after the storm: the connects and failed attempts so far, so a reconnection during a phase
     * (an unexpected disconnect while the connections are held) shows as a connect more than the one before.
     */
    @BeforeEach
    void printConnectsSoFar(TestInfo phase) {
        if (agents != null && agents[0] != null) {
            printFailedAttempts("before " + phase.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?"));
        }
    }

    /** Phase 2: reads over the sockets at a steady rate (open model), the connections held throughout. */
    @Order(2)
    @LoadTest(agents = DEFAULT_AGENTS, duration = "30s", rate = 500, timeout = "5m")
    @MaxErrorRate(0.0)
    void steadyReads(Agent agent) {
        int n = agent.random().nextInt(CONFIG_SECRETS);
        Map<String, String> data = connected(agent.id()).read("app/config/" + n);
        if (!("config-" + n).equals(data.get("value"))) {
            throw new AssertionError("read of app/config/" + n + " returned the wrong data");
        }
    }

    /** The server's heap (after a full GC) and resident memory per held connection, against the baseline. */
    @Test
    @Order(3)
    void memoryPerConnection() throws Exception {
        long[] now = server.memory();
        int held = (int) Arrays.stream(agents).filter(a -> a != null && a.isConnected()).count();
        assertThat(held).isEqualTo(agentCount);
        System.out.printf("WebSocketScaleLoadTest: %d connections: server heap %.1f KB/connection (after GC),"
                + " RSS %.1f KB/connection%n", held, (now[0] - baseline[0]) / 1024.0 / held,
                (now[1] - baseline[1]) / 1024.0 / held);
        if (diagnostics != null) {
            Path connected = diagnostics.resolve("histogram-connected.txt");
            server.histogram(connected);
            printGrowth(diagnostics.resolve("histogram-start.txt"), connected, held);
            server.heapDump(diagnostics.resolve("connected.hprof"));
        }
    }

    /** The classes whose instances grew most in bytes between two histograms, per connection. */
    private static void printGrowth(Path start, Path end, int connections) throws IOException {
        Map<String, long[]> before = histogram(start);
        Map<String, long[]> after = histogram(end);
        System.out.printf("WebSocketScaleLoadTest: heap growth per connection by class (top 25 by bytes):%n");
        after.entrySet().stream()
                .map(e -> {
                    long[] b = before.getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]});
                })
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(25)
                .forEach(e -> System.out.printf("  %8.1f B %7.2f instances  %s%n",
                        e.getValue()[1] / (double) connections, e.getValue()[0] / (double) connections, e.getKey()));
    }

    /** A {@code GC.class_histogram} as class name to {instances, bytes}. */
    private static Map<String, long[]> histogram(Path file) throws IOException {
        Map<String, long[]> classes = new java.util.HashMap<>();
        java.util.regex.Pattern row = java.util.regex.Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*");
        for (String line : Files.readAllLines(file)) {
            java.util.regex.Matcher m = row.matcher(line);
            if (m.matches()) {
                classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return classes;
    }

    /** Phase 3: one secret every agent subscribed to is written N times; each write reaches every agent once. */
    @Test
    @Order(4)
    void fanOut() throws Exception {
        int before = hub.secrets().read(vault.rootToken(), FANOUT).version();
        receipts = new AtomicLongArray[fanoutWrites];
        for (int w = 0; w < fanoutWrites; w++) {
            receipts[w] = new AtomicLongArray(agentCount);
        }
        fanoutBase = before;
        long[] acks = new long[fanoutWrites];
        for (int w = 0; w < fanoutWrites; w++) {
            int version = hub.secrets().write(vault.rootToken(), FANOUT, Map.of("v", "fan-" + w)).version();
            acks[w] = System.nanoTime();
            assertThat(version).isEqualTo(before + w + 1);
            // One write at a time: pushes of one path are coalesced, so writes faster than delivery would merge.
            awaitAll(receipts[w]);
        }
        long[] latencies = new long[agentCount * fanoutWrites];
        int delivered = 0;
        for (int w = 0; w < fanoutWrites; w++) {
            for (int i = 0; i < agentCount; i++) {
                long at = receipts[w].get(i);
                if (at != 0) {
                    latencies[delivered++] = Math.max(0, at - acks[w]);
                }
            }
        }
        Arrays.sort(latencies, 0, delivered);
        System.out.printf("WebSocketScaleLoadTest: fan-out of %d writes to %d agents: delivered %d (expected %d),"
                + " duplicates %d; ack-to-receipt p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                fanoutWrites, agentCount, delivered, agentCount * fanoutWrites, DUPLICATES.get(),
                millis(latencies, delivered, 0.50), millis(latencies, delivered, 0.95),
                        millis(latencies, delivered, 0.99),
                delivered == 0 ? 0 : latencies[delivered - 1] / 1e6);
        assertThat(delivered).isEqualTo(agentCount * fanoutWrites);
        assertThat(DUPLICATES.get()).isZero();
    }

    /** Phase 4: the server process stops; a change is written meanwhile; it starts again; every agent catches up. */
    @Test
    @Order(5)
    void reconnectStorm() throws Exception {
        int port = server.port();
        Path tls = server.tlsDirectory();
        server.close();
        int version = hub.secrets().write(vault.rootToken(), FANOUT, Map.of("v", "while-away")).version();
        long start = System.nanoTime();
        server = ServerProcess.start(database, tls, port);
        server.unseal(vault.shares());
        long serving = System.nanoTime();
        long deadline = System.nanoTime() + WAIT.toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        int caughtUp = 0;
        while (System.nanoTime() < deadline) {
            caughtUp = (int) Arrays.stream(agents).filter(a -> a.secret(FANOUT).map(s -> s.version() >= version)
                    .orElse(false) && a.isConnected()).count();
            if (caughtUp == agentCount) {
                break;
            }
            if (System.nanoTime() >= nextProgress) {
                nextProgress += PROGRESS_EVERY.toNanos();
                long connected = Arrays.stream(agents).filter(SecretHubAgent::isConnected).count();
                Map<Integer, Long> lastClose = Arrays.stream(agents).collect(java.util.stream.Collectors.groupingBy(
                        SecretHubAgent::lastCloseCode, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
                System.out.printf("WebSocketScaleLoadTest: reconnect storm, %.0f s after serving: %d connected, %d"
                        + " resynchronized; connects so far %d; agents by last close code %s%n",
                        (System.nanoTime() - serving) / 1e9, connected, caughtUp,
                        Arrays.stream(agents).mapToLong(SecretHubAgent::connects).sum(), lastClose);
            }
            Thread.sleep(50);
        }
        long end = System.nanoTime();
        System.out.printf("WebSocketScaleLoadTest: reconnect storm: %d of %d agents reconnected and resynchronized"
                + " %.1f s after the server process was started again (%.1f s after it was serving and unsealed)%n",
                caughtUp, agentCount, (end - start) / 1e9, (end - serving) / 1e9);
        assertThat(caughtUp).as("agents that got the change written while the server was down").isEqualTo(agentCount);
    }

    /**
     * Connection attempts that failed before their socket opened, so far, and the last failure's kind per agent:
     * each is work the server and the agent did for nothing, and a storm full of them is collapsing under retries.
     */
    private static void printFailedAttempts(String when) {
        var present = Arrays.stream(agents).filter(java.util.Objects::nonNull).toList();
        Map<String, Long> kinds = present.stream().flatMap(a -> a.lastConnectFailure().stream())
                .collect(java.util.stream.Collectors.groupingBy(k -> k, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting()));
        System.out.printf("WebSocketScaleLoadTest: %s: %d connection attempts failed before their socket opened,"
                + " %d connects; agents by their last failure %s%n", when,
                present.stream().mapToLong(SecretHubAgent::failedAttempts).sum(),
                present.stream().mapToLong(SecretHubAgent::connects).sum(), kinds);
    }

    /** How often the reconnect storm prints how far it got. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private static void received(int agent, SecretHubAgent.LocalSecret changed) {
        AtomicLongArray[] slots = receipts;
        int w = changed.version() - fanoutBase - 1;
        if (slots == null || w < 0 || w >= slots.length || changed.deleted()) {
            return; // the initial sync or the reconnect phase's change
        }
        if (!slots[w].compareAndSet(agent, 0, System.nanoTime())) {
            DUPLICATES.incrementAndGet();
        }
    }

    private static void awaitAll(AtomicLongArray arrivals) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (int i = 0; i < arrivals.length() && all; i++) {
                all = arrivals.get(i) != 0;
            }
            if (all) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private static SecretHubAgent connected(int id) {
        SecretHubAgent agent = agents[id];
        if (agent == null) {
            throw new IllegalStateException("agent " + id + " is not connected: the connect storm must run first,"
                    + " with at least as many agents");
        }
        return agent;
    }

    private static double millis(long[] sorted, int count, double quantile) {
        if (count == 0) {
            return 0;
        }
        return sorted[Math.min(count - 1, (int) Math.ceil(quantile * count) - 1)] / 1e6;
    }

    /** The server as a separate process, with a fixed TLS identity so a restarted one is the same server to agents. */
    private static final class ServerProcess implements AutoCloseable {

        private final Process process;
        private final String url;
        private final Path tls;

        private ServerProcess(Process process, String url, Path tls) {
            this.process = process;
            this.url = url;
            this.tls = tls;
        }

        static ServerProcess start(DataSource dataSource, Path tls, int port) throws Exception {
            Path[] identity = ServerProcesses.identity(tls); // the same certificate across restarts
            Path cert = identity[0];
            Path key = identity[1];
            // Raise the open-file limit for the server: one descriptor per agent connection.
            ProcessBuilder builder = new ProcessBuilder("sh", "-c", "ulimit -n " + OPEN_FILES + " 2>/dev/null"
                    + " || ulimit -n \"$(ulimit -Hn)\"; exec \"$0\" -cp \"$1\" " + ServerProcesses.MAIN,
                    ServerProcesses.java(), System.getProperty("java.class.path"));
            Map<String, String> env = builder.environment();
            ServerProcesses.useDatabase(env, dataSource);
            env.put("SECRETHUB_ADDR", "127.0.0.1:" + port);
            env.put("SECRETHUB_TLS_CERT", cert.toString());
            env.put("SECRETHUB_TLS_KEY", key.toString());
            if (maxHandshakes != null) {
                env.put("SECRETHUB_MAX_HANDSHAKES", maxHandshakes);
            }
            ServerProcesses.Started started = ServerProcesses.start(builder);
            return new ServerProcess(started.process(), started.url(), tls);
        }

        void unseal(List<String> shares) {
            ServerProcesses.unseal(url, caFile(), shares);
        }

        String url() {
            return url;
        }

        int port() {
            return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
        }

        Path tlsDirectory() {
            return tls;
        }

        Path caFile() {
            return tls.resolve("ca.pem");
        }

        /** Heap used after a full GC and resident set size, in bytes, read from the server process. */
        long[] memory() throws IOException, InterruptedException {
            String pid = Long.toString(process.pid());
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            run(jcmd.toString(), pid, "GC.run");
            long heap = 0;
            String info = run(jcmd.toString(), pid, "GC.heap_info");
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
            if (used.find()) {
                heap = Long.parseLong(used.group(1)) * 1024;
            }
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
            return new long[] {heap, rss};
        }

        /** Writes the server's class histogram (live objects: it runs a full GC first) to {@code file}. */
        void histogram(Path file) throws IOException, InterruptedException {
            Files.writeString(file, run(jcmd(), Long.toString(process.pid()), "GC.class_histogram"));
        }

        /** Dumps the server's live heap to {@code file} (replaced if there). */
        void heapDump(Path file) throws IOException, InterruptedException {
            Files.deleteIfExists(file);
            run(jcmd(), Long.toString(process.pid()), "GC.heap_dump", file.toAbsolutePath().toString());
        }

        private static String jcmd() {
            return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        }

        private static String run(String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return output;
        }

        @Override
        public void close() {
            process.destroy(); // SIGTERM: drain, flush, exit 0 (the sh exec'd into java, so this is the JVM)
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
