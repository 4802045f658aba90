package io.secrethub.server.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/**
 * An agent on SecretHub's WebSocket channel ({@code /v1/agent/ws}): connects over mutual TLS with its own key and
 * certificate, subscribes to the secrets it needs, keeps a local copy of them, and stays current. A change pushed
 * by the server is fetched at once; after a lost connection it reconnects with jittered exponential backoff and
 * resynchronizes (it tells the server the versions it holds, and fetches what changed meanwhile), so no change is
 * missed across a disconnect, a server restart or a move to another instance.
 *
 * <p>With a client of several servers, each agent starts on its own address (round-robin) and, when its connection
 * fails or the server closes it as going away (1001, a draining instance), penalizes that address and reconnects
 * to the next live one. {@link #read} waits for the reconnection and asks again, within the client's failover
 * budget, so a move between instances shows the caller no error.
 *
 * <pre>{@code
 * SecretHubAgent agent = SecretHubAgent.connect(client, keys, certificatePem, token, List.of("app/db"), changed -> …);
 * Optional<SecretHubAgent.LocalSecret> db = agent.secret("app/db");
 * }</pre>
 */
public final class SecretHubAgent implements AutoCloseable {

    private static final JSON JSON_IO = JSON.std;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    private static final long REQUEST_TIMEOUT_SECONDS = 30;
    private static final Duration RETRY_READ = Duration.ofSeconds(1);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);
    /** How long a read waits for the socket to come back before it reads over HTTPS instead. */
    private static final Duration SOCKET_GRACE = Duration.ofSeconds(1);

    /** The local copy of one secret; {@code deleted} (and no data) once its latest version is deleted or destroyed. */
    public record LocalSecret(String path, int version, Map<String, String> data, boolean deleted) {

        public LocalSecret {
            data = Map.copyOf(data);
        }

        @Override
        public String toString() {
            return "LocalSecret[" + path + ", version " + version + (deleted ? ", deleted" : "") + "]"; // no values
        }
    }

    private final SecretHubClient client;
    private final SecretHubClient.Session connection;
    private final String token;
    private final Consumer<LocalSecret> onChange;
    private final Set<String> wanted = ConcurrentHashMap.newKeySet();
    private final Map<String, LocalSecret> local = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, Object>>> requests = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private volatile String lastConnectFailure;
    private final AtomicInteger readsOverHttps = new AtomicInteger();
    private volatile Session session;
    /** The index of the server address the agent connects to; moved on when that server fails. */
    private volatile int server;
    private volatile boolean closed;
    private volatile int lastCloseCode;
    private volatile CompletableFuture<Void> synced = new CompletableFuture<>();
    private Duration backoff = FIRST_BACKOFF;

    private SecretHubAgent(SecretHubClient client, SecretHubClient.Session connection, String token,
            Consumer<LocalSecret> onChange) {
        this.client = client;
        this.connection = connection;
        this.token = token;
        this.onChange = onChange;
        this.server = connection.index(); // the agent's session took its place in the round-robin
    }

    /**
     * Connects the agent and subscribes to {@code paths}; returns once the first connection attempt is under way
     * ({@link #awaitSynced} waits for the local copy).
     *
     * @param onChange told of each new local copy (new version, or deletion); called on a network thread
     */
    public static SecretHubAgent connect(SecretHubClient client, AgentKeys keys, String certificatePem, String token,
            List<String> paths, Consumer<LocalSecret> onChange) {
        return connect(client.agent(keys, certificatePem), token, paths, onChange);
    }

    /**
     * As {@link #connect(SecretHubClient, AgentKeys, String, String, List, Consumer)}, over a session made
     * beforehand with {@link SecretHubClient#agent}: the agent's key and certificate are loaded into a TLS context
     * then, so a fleet started at once (a load test's connect storm) can do that before it connects.
     */
    public static SecretHubAgent connect(SecretHubClient.Session session, String token, List<String> paths,
            Consumer<LocalSecret> onChange) {
        if (!session.presentsCertificate()) {
            throw new IllegalArgumentException("an agent connects over a session made by SecretHubClient.agent, which"
                    + " presents its certificate");
        }
        SecretHubAgent agent = new SecretHubAgent(session.client(), session, Objects.requireNonNull(token, "token"),
                onChange == null ? s -> { } : onChange);
        agent.wanted.addAll(paths);
        agent.open();
        return agent;
    }

    /** The local copy of {@code path}, if the agent holds one. */
    public Optional<LocalSecret> secret(String path) {
        return Optional.ofNullable(local.get(path));
    }

    /** Subscribes to one more path (fetched at once, kept current from now on). */
    public void subscribe(String path) {
        if (wanted.add(path)) {
            Map<String, Object> versions = new LinkedHashMap<>();
            versions.put(path, 0);
            request(Map.of("type", "sync", "versions", versions)).thenAccept(this::onSynced);
        }
    }

    /**
     * Reads a secret over the socket (authorized and audited on the server as an HTTP read would be). While the
     * agent reconnects (to this server or the next one) the read waits up to a second for the socket and is sent
     * again; if the socket is still not back (a reconnect storm after a failover can take longer), it reads over
     * HTTPS with the agent's certificate and token instead, failing over between the servers as any client request
     * does. A refusal (403, 404) is thrown at once.
     */
    public Map<String, String> read(String path) {
        long deadline = System.nanoTime() + client.failoverBudget().toNanos();
        while (true) {
            try {
                Map<String, Object> answer = await(request(Map.of("type", "read", "path", path)));
                return strings(answer.get("data"));
            } catch (SecretHubClientException e) {
                long left = deadline - System.nanoTime();
                if (closed || left <= 0 || !worthRetrying(e)) {
                    throw e;
                }
                try {
                    if (!awaitSynced(Duration.ofNanos(Math.min(left, SOCKET_GRACE.toNanos())))) {
                        readsOverHttps.incrementAndGet();
                        return connection.kvRead(token, path);
                    }
                    Thread.sleep(Math.min(RETRY_PAUSE.toMillis(), Math.max(0, left / 1_000_000))); // a 5xx: no spin
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The server address the agent is connected (or connecting) to. */
    public String server() {
        return client.endpoints().url(server);
    }

    /** Sends any request and waits for its answer (an {@code error} answer throws {@link SecretHubClientException}). */
    public Map<String, Object> call(Map<String, Object> message) {
        return await(request(message));
    }

    /** Waits until the agent is connected and its local copy resynchronized. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        try {
            synced.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    public boolean isConnected() {
        Session s = session;
        return s != null && s.isOpen();
    }

    /** Reads that went over HTTPS because the socket was not back in time ({@link #read}). */
    public int readsOverHttps() {
        return readsOverHttps.get();
    }

    /** Successful connections so far (the first one and every reconnection). */
    public int connects() {
        return connects.get();
    }

    /**
     * Connection attempts that ended before the socket opened (a refused or timed-out TCP connect, TLS handshake or
     * upgrade); each is retried after the backoff. Many of them in a connect storm mean the server (or this side)
     * could not answer within the client's timeouts, so the fleet redid work it had already paid for.
     */
    public int failedAttempts() {
        return failedAttempts.get();
    }

    /**
     * The kind of the last failed connection attempt, if any: its root exception's class and message with the numbers
     * replaced by {@code N} (the agent's token is in no exception message).
     */
    public Optional<String> lastConnectFailure() {
        return Optional.ofNullable(lastConnectFailure);
    }

    /** The close code of the last connection the server (or the network) ended. */
    public int lastCloseCode() {
        return lastCloseCode;
    }

    /** Drops the connection as a network failure would (tests, and an operator's "reconnect now"). */
    public void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    private void open() {
        if (closed) {
            return;
        }
        int index = client.endpoints().choose(server);
        server = index;
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        upgrade.tag(connection.tag());
        upgrade.setHeader("X-Vault-Token", token);
        Listener listener = new Listener(index);
        try {
            // Jetty reports a failed upgrade twice, to the listener (onWebSocketError) and through this future:
            // both go through the listener's once-only end, so each failed attempt makes one reconnection. Two
            // made the attempts double with every failure: 10,828 connections for 1,000 agents in a reconnect storm.
            client.webSockets().connect(listener, client.webSocketUri(index, "agent/ws"), upgrade)
                    .whenComplete((s, failure) -> {
                        if (failure != null) {
                            listener.failed(failure);
                        }
                    });
        } catch (java.io.IOException | RuntimeException e) {
            listener.failed(e);
        }
    }

    /** The server at {@code index} failed this agent: penalize it and move to the next live one. */
    private void serverFailed(int index) {
        server = client.endpoints().failed(index);
    }

    /** Close codes that say the server (not this agent) is the problem, so another server is worth a try. */
    private static boolean serverSide(int code) {
        return code == 1001 || code == 1006 || code == 1011 || code == 1012 || code == 1013;
    }

    /** Full jitter: a random wait up to the current backoff, so a fleet dropped at once does not return at once. */
    private synchronized void reconnectLater() {
        if (closed) {
            return;
        }
        long delay = ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(this::open);
    }

    /**
     * The server went away on purpose ({@link io.secrethub.server.ws.CloseCodes#GOING_AWAY}: it drains, or ended an
     * idle connection): not a failure, so reconnect now, whatever the backoff had grown to, with a jitter of at most
     * the first backoff so a fleet moved at once is spread a little.
     */
    private synchronized void reconnectSoon() {
        if (closed) {
            return;
        }
        backoff = FIRST_BACKOFF;
        long delay = ThreadLocalRandom.current().nextLong(FIRST_BACKOFF.toMillis() + 1);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(this::open);
    }

    private synchronized void connected() {
        backoff = FIRST_BACKOFF;
    }

    private void resync() {
        Map<String, Object> versions = new LinkedHashMap<>();
        for (String path : wanted) {
            LocalSecret held = local.get(path);
            versions.put(path, held == null || held.deleted() ? 0 : held.version());
        }
        CompletableFuture<Void> done = synced;
        request(Map.of("type", "sync", "versions", versions)).whenComplete((answer, failure) -> {
            if (failure != null) {
                disconnect(); // unsynchronized: start over (reconnect with backoff, sync again)
                return;
            }
            onSynced(answer);
            done.complete(null);
        });
    }

    @SuppressWarnings("unchecked")
    private void onSynced(Map<String, Object> answer) {
        for (Object entry : (List<Object>) answer.getOrDefault("changed", List.of())) {
            changed((Map<String, Object>) entry);
        }
    }

    /** A path's state differs from the local copy: fetch the new version, or drop the deleted one. */
    private void changed(Map<String, Object> state) {
        String path = (String) state.get("path");
        int version = ((Number) state.get("version")).intValue();
        LocalSecret held = local.get(path);
        if (Boolean.TRUE.equals(state.get("deleted"))) {
            if (held == null || !held.deleted()) {
                LocalSecret gone = new LocalSecret(path, version, Map.of(), true);
                local.put(path, gone);
                onChange.accept(gone);
            }
            return;
        }
        if (held != null && !held.deleted() && held.version() >= version) {
            return; // a late push of what the agent already holds
        }
        request(Map.of("type", "read", "path", path)).whenComplete((answer, failure) -> {
            if (failure == null) {
                store(path, answer);
            } else if (!closed && isConnected() && worthRetrying(failure)) {
                // e.g. a timeout under load: try again shortly (a lost connection resynchronizes anyway)
                CompletableFuture.delayedExecutor(RETRY_READ.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> changed(state));
            }
        });
    }

    /** A timeout or an unavailable server, worth another try; not a refusal (403, 404) that would repeat. */
    private static boolean worthRetrying(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return !(cause instanceof SecretHubClientException refused) || refused.status() >= 500
                || refused.status() == 429;
    }

    private void store(String path, Map<String, Object> answer) {
        int version = ((Number) answer.get("version")).intValue();
        LocalSecret fresh = new LocalSecret(path, version, strings(answer.get("data")), false);
        LocalSecret before = local.merge(path, fresh, (old, now) -> !old.deleted() && old.version() >= now.version()
                ? old : now);
        if (before == fresh) {
            onChange.accept(fresh);
        }
    }

    private CompletableFuture<Map<String, Object>> request(Map<String, Object> message) {
        String id = Long.toString(ids.incrementAndGet());
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        Session s = session;
        if (s == null || !s.isOpen()) {
            answer.completeExceptionally(new SecretHubClientException(503, List.of("not connected")));
            return answer;
        }
        requests.put(id, answer);
        Map<String, Object> withId = new LinkedHashMap<>(message);
        withId.put("id", id);
        try {
            s.sendText(JSON_IO.asString(withId), Callback.from(() -> { }, failure -> {
                requests.remove(id);
                answer.completeExceptionally(failure);
            }));
        } catch (JacksonException e) {
            requests.remove(id);
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((a, f) -> requests.remove(id));
    }

    private static Map<String, Object> await(CompletableFuture<Map<String, Object>> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecretHubClientException failure) {
                throw failure;
            }
            throw new SecretHubClientException(503, List.of(String.valueOf(e.getCause())));
        }
    }

    @SuppressWarnings("unchecked")
    private void onMessage(String text) {
        Map<String, Object> message;
        try {
            message = (Map<String, Object>) JSON_IO.mapFrom(text);
        } catch (JacksonException e) {
            return; // the server sends JSON objects only
        }
        String type = String.valueOf(message.get("type"));
        if ("secret-changed".equals(type)) {
            changed(message);
            return;
        }
        Object id = message.get("id");
        CompletableFuture<Map<String, Object>> waiting = id == null ? null : requests.remove(id.toString());
        if (waiting == null) {
            return;
        }
        if ("error".equals(type)) {
            Object status = message.get("status");
            Object errors = message.get("errors");
            waiting.completeExceptionally(new SecretHubClientException(status instanceof Number n ? n.intValue() : 500,
                    errors instanceof List<?> list ? (List<String>) list : List.of()));
        } else {
            waiting.complete(message);
        }
    }

    private static Map<String, String> strings(Object data) {
        Map<String, String> out = new LinkedHashMap<>();
        if (data instanceof Map<?, ?> map) {
            map.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        Session s = session;
        if (s != null) {
            s.close();
        }
        for (CompletableFuture<Map<String, Object>> waiting : new ArrayList<>(requests.values())) {
            waiting.completeExceptionally(new SecretHubClientException(503, List.of("agent closed")));
        }
    }

    /**
     * A failure's root exception's class and message, with the numbers out ("Idle timeout expired: 30001/30000 ms")
     * and no object dumps (an EOFException names the connection), so failures of a kind are counted together.
     */
    private static String kind(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        boolean telling = message != null && message.length() <= 80 && !message.contains("@");
        return root.getClass().getSimpleName() + (telling ? ": " + message.replaceAll("[0-9]+", "N") : "");
    }

    /** One connection's events. Public only because Jetty invokes them through public method handles. */
    public final class Listener extends Session.Listener.AbstractAutoDemanding {

        private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        private final int index;
        private volatile boolean opened;

        private Listener(int index) {
            this.index = index;
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            super.onWebSocketOpen(opened);
            this.opened = true;
            session = opened;
            connects.incrementAndGet();
            connected();
            resync();
        }

        @Override
        public void onWebSocketText(String text) {
            onMessage(text);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            lastCloseCode = statusCode;
            ended(serverSide(statusCode), statusCode == io.secrethub.server.ws.CloseCodes.GOING_AWAY);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            failed(cause);
        }

        private void failed(Throwable cause) {
            if (!opened && !over.get()) {
                lastConnectFailure = kind(cause);
            }
            ended(true, false);
        }

        /**
         * @param serverFailed the server (not this agent) ended it: penalize its address, move to the next
         * @param goingAway it drains (1001): not a failure of the move, so reconnect at once
         */
        private void ended(boolean serverFailed, boolean goingAway) {
            if (!over.compareAndSet(false, true)) {
                return; // an error and then the close: one reconnection
            }
            if (!opened) {
                failedAttempts.incrementAndGet();
            }
            if (serverFailed && !closed) {
                serverFailed(index);
            }
            if (session != null && !session.isOpen()) {
                session = null;
            }
            if (synced.isDone()) {
                synced = new CompletableFuture<>();
            }
            for (CompletableFuture<Map<String, Object>> waiting : new ArrayList<>(requests.values())) {
                waiting.completeExceptionally(new SecretHubClientException(503, List.of("connection lost")));
            }
            requests.clear();
            if (goingAway) {
                reconnectSoon();
            } else {
                reconnectLater();
            }
        }
    }
}
