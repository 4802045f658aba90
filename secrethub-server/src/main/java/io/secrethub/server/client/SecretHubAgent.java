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
    private volatile Session session;
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
    }

    /**
     * Connects the agent and subscribes to {@code paths}; returns once the first connection attempt is under way
     * ({@link #awaitSynced} waits for the local copy).
     *
     * @param onChange told of each new local copy (new version, or deletion); called on a network thread
     */
    public static SecretHubAgent connect(SecretHubClient client, AgentKeys keys, String certificatePem, String token,
            List<String> paths, Consumer<LocalSecret> onChange) {
        SecretHubAgent agent = new SecretHubAgent(client, client.agent(keys, certificatePem),
                Objects.requireNonNull(token, "token"), onChange == null ? s -> { } : onChange);
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

    /** Reads a secret over the socket (authorized and audited on the server as an HTTP read would be). */
    public Map<String, String> read(String path) {
        Map<String, Object> answer = await(request(Map.of("type", "read", "path", path)));
        return strings(answer.get("data"));
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

    /** Successful connections so far (the first one and every reconnection). */
    public int connects() {
        return connects.get();
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
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
        upgrade.tag(connection.tag());
        upgrade.setHeader("X-Vault-Token", token);
        try {
            client.webSockets().connect(new Listener(), client.webSocketUri("agent/ws"), upgrade)
                    .whenComplete((s, failure) -> {
                        if (failure != null) {
                            reconnectLater();
                        }
                    });
        } catch (java.io.IOException | RuntimeException e) {
            reconnectLater();
        }
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
        return !(cause instanceof SecretHubClientException refused) || refused.status() >= 500;
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

    /** One connection's events. Public only because Jetty invokes them through public method handles. */
    public final class Listener extends Session.Listener.AbstractAutoDemanding {

        private final java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();

        private Listener() {
        }

        @Override
        public void onWebSocketOpen(Session opened) {
            super.onWebSocketOpen(opened);
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
            ended();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            ended();
        }

        private void ended() {
            if (!over.compareAndSet(false, true)) {
                return; // an error and then the close: one reconnection
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
            reconnectLater();
        }
    }
}
