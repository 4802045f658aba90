package io.secrethub.server.ws;

import io.secrethub.core.ClientAddress;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.CoreErrors;
import io.secrethub.server.http.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One agent's connection. Its messages are handled one at a time, off Jetty's network threads (the next frame is
 * demanded only when one is done, so a flooding agent is held back by TCP, then refused, then closed). Every request
 * runs through core with the connection's token and the agent's address, so it is authorized and audited like the
 * same request over HTTP.
 *
 * <p>Pushes are coalesced per path: a change marks the path pending, and one drain at a time reads each pending
 * path's state and pushes it only if it differs from what the agent was last told; several changes of a path
 * while its push waits become one. Messages the network has not taken yet are counted; past the limit the agent
 * is too slow and is closed ({@link CloseCodes#SLOW_CONSUMER}) instead of buffered without bound.
 */
public final class AgentSocket implements Session.Listener {

    private final AgentChannel channel;
    private final SecretHub hub;
    private final String agentId;
    private final String address;
    private volatile String token;
    private volatile Session session;

    private final Set<String> paths = ConcurrentHashMap.newKeySet();
    private final Set<String> prefixes = ConcurrentHashMap.newKeySet();
    /** What the agent was last told of each path, so a push is sent only for a real change. */
    private final Map<String, SecretState> told = new ConcurrentHashMap<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean draining;

    private final AtomicInteger unsent = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final RateLimit rate;
    private final long openedAt = System.nanoTime();
    private volatile long lastHeard = System.nanoTime();
    private volatile long pingSentAt;

    AgentSocket(AgentChannel channel, String agentId, String address, String token) {
        this.channel = channel;
        this.hub = channel.hub();
        this.agentId = agentId;
        this.address = address;
        this.token = token;
        this.rate = new RateLimit(channel.settings().messagesPerSecond(), channel.settings().burst(),
                System.nanoTime());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        channel.opened(this);
        session.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        lastHeard = System.nanoTime();
        channel.work().execute(() -> {
            try {
                handle(text);
            } catch (RuntimeException e) {
                close(1011, "internal error");
            } finally {
                demandIfOpen();
            }
        });
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastHeard = System.nanoTime();
        callback.succeed();
        if (rate.take(System.nanoTime())) {
            send(error(null, 400, "binary messages are not accepted; send JSON text"));
        } else if (rate.exhausted()) {
            close(CloseCodes.RATE_LIMITED, "rate limit exceeded");
        }
        demandIfOpen();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        lastHeard = System.nanoTime();
        demandIfOpen();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        lastHeard = System.nanoTime();
        demandIfOpen();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        channel.closed(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        channel.closed(this);
    }

    private void demandIfOpen() {
        Session s = session;
        if (s != null && s.isOpen() && !closing.get()) {
            s.demand();
        }
    }

    private void handle(String text) {
        if (!rate.take(System.nanoTime())) {
            if (rate.exhausted()) {
                close(CloseCodes.RATE_LIMITED, "rate limit exceeded");
            } else {
                send(error(null, 429, "rate limit exceeded; slow down"));
            }
            return;
        }
        Map<String, Object> message;
        try {
            message = Json.parseObject(text);
        } catch (ApiException e) {
            send(error(null, 400, "malformed JSON: send one JSON object per message"));
            return;
        }
        Object id = message.get("id");
        if (!(id == null || id instanceof String || id instanceof Number)) {
            send(error(null, 400, "id must be a string or a number"));
            return;
        }
        String type = message.get("type") instanceof String s ? s : null;
        if (token == null && !"auth".equals(type)) {
            close(CloseCodes.UNAUTHENTICATED, "authenticate first");
            return;
        }
        try {
            ClientAddress.with(address, () -> {
                dispatch(id, type, message);
                return null;
            });
        } catch (InvalidTokenException e) {
            close(CloseCodes.UNAUTHENTICATED, "token no longer valid");
        } catch (ApiException e) {
            send(error(id, e.status(), String.join("; ", e.errors())));
        } catch (RuntimeException e) {
            ApiException mapped = CoreErrors.map(e);
            if (mapped == null) {
                throw e;
            }
            send(error(id, mapped.status(), String.join("; ", mapped.errors())));
        }
    }

    private void dispatch(Object id, String type, Map<String, Object> message) {
        if (type == null) {
            throw ApiException.badRequest("missing \"type\"");
        }
        switch (type) {
            case "auth" -> authenticate(id, string(message, "token"));
            case "read" -> read(id, string(message, "path"));
            case "subscribe" -> subscribe(id, message);
            case "unsubscribe" -> unsubscribe(id, message);
            case "sync" -> sync(id, message.get("versions"));
            default -> throw ApiException.badRequest("unknown message type \"" + printable(type) + "\"");
        }
    }

    private void authenticate(Object id, String presented) {
        hub.auth().tokens().lookup(presented); // InvalidTokenException closes the socket
        token = presented;
        send(reply(id, "authenticated"));
    }

    private void read(Object id, String path) {
        Secret secret = hub.secrets().read(token, path);
        told.put(path, new SecretState(secret.version(), false, false));
        Map<String, Object> m = reply(id, "secret");
        m.put("path", path);
        m.put("version", secret.version());
        m.put("data", secret.data());
        send(m);
    }

    private void subscribe(Object id, Map<String, Object> message) {
        Map<String, Object> m = reply(id, "subscribed");
        if (message.get("prefix") != null) {
            String prefix = folder(string(message, "prefix"));
            try {
                hub.secrets().list(token, prefix); // the token's list permission on the folder, audited
            } catch (NotFoundException emptyFolder) {
                // an empty folder may be subscribed to: its first secret is a change
            }
            prefixes.add(prefix);
            m.put("prefix", prefix);
        } else {
            String path = string(message, "path");
            SecretState state = SecretState.of(hub, token, path);
            if (state == null) {
                throw new ApiException(403, CoreErrors.PERMISSION_DENIED);
            }
            paths.add(path);
            told.put(path, state);
            m.putAll(state.fields(path));
        }
        send(m);
    }

    private void unsubscribe(Object id, Map<String, Object> message) {
        Map<String, Object> m = reply(id, "unsubscribed");
        if (message.get("prefix") != null) {
            String prefix = folder(string(message, "prefix"));
            prefixes.remove(prefix);
            m.put("prefix", prefix);
        } else {
            String path = string(message, "path");
            paths.remove(path);
            told.remove(path);
            m.put("path", path);
        }
        send(m);
    }

    /**
     * After a reconnect: the agent names the versions it holds; the answer lists every path whose state differs
     * (newer version, deleted, destroyed, gone), and the paths become subscribed.
     */
    private void sync(Object id, Object versions) {
        if (!(versions instanceof Map<?, ?> held)) {
            throw ApiException.badRequest("\"versions\" must be an object of path: version");
        }
        List<Map<String, Object>> changed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (Map.Entry<?, ?> e : held.entrySet()) {
            if (!(e.getKey() instanceof String path) || !(e.getValue() instanceof Number version)) {
                throw ApiException.badRequest("\"versions\" must be an object of path: version");
            }
            SecretState state = SecretState.of(hub, token, path);
            if (state == null) {
                denied.add(path);
                continue;
            }
            paths.add(path);
            told.put(path, state);
            if (state.version() != version.intValue() || state.deleted()) {
                changed.add(state.fields(path));
            }
        }
        Map<String, Object> m = reply(id, "synced");
        m.put("changed", changed);
        m.put("denied", denied);
        send(m);
    }

    /** Called by the channel for every change heard; queues a push if the agent subscribed to the path. */
    void changed(String path) {
        if (token == null || !(paths.contains(path) || underPrefix(path))) {
            return;
        }
        boolean start;
        synchronized (pending) {
            pending.add(path);
            start = !draining;
            draining = true;
        }
        if (start) {
            channel.work().execute(this::drain);
        }
    }

    /** Changes may have been missed (the change feed reconnected): re-check every subscribed path. */
    void recheckAll() {
        for (String path : paths) {
            changed(path);
        }
    }

    private boolean underPrefix(String path) {
        for (String prefix : prefixes) {
            if (prefix.isEmpty() || path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private void drain() {
        while (true) {
            String path;
            synchronized (pending) {
                var it = pending.iterator();
                if (!it.hasNext() || closing.get()) {
                    draining = false;
                    return;
                }
                path = it.next();
                it.remove();
            }
            try {
                SecretState state = ClientAddress.with(address, () -> SecretState.of(hub, token, path));
                if (state != null && !state.equals(told.put(path, state))) {
                    Map<String, Object> m = reply(null, "secret-changed");
                    m.putAll(state.fields(path));
                    send(m);
                }
            } catch (InvalidTokenException e) {
                close(CloseCodes.UNAUTHENTICATED, "token no longer valid");
            } catch (RuntimeException e) {
                // sealed, database trouble: the path stays unknown; the agent's next sync finds the change
                told.remove(path);
            }
        }
    }

    /** One heartbeat tick: a peer that sent nothing since the last ping is dead; otherwise ping again. */
    void heartbeat(long now) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        if (token == null && now - openedAt > channel.settings().heartbeat().toNanos()) {
            close(CloseCodes.UNAUTHENTICATED, "no token within a heartbeat interval");
            return;
        }
        if (pingSentAt != 0 && lastHeard - pingSentAt < 0) {
            close(CloseCodes.HEARTBEAT_TIMEOUT, "no answer to ping");
            return;
        }
        pingSentAt = now;
        s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
    }

    private void send(Map<String, Object> message) {
        Session s = session;
        if (s == null || !s.isOpen() || closing.get()) {
            return;
        }
        if (unsent.incrementAndGet() > channel.settings().maxQueuedMessages()) {
            close(CloseCodes.SLOW_CONSUMER, "outgoing queue full: read your messages");
            return;
        }
        s.sendText(Json.write(message), Callback.from(unsent::decrementAndGet, failure -> unsent.decrementAndGet()));
    }

    /**
     * Sends the close frame, and drops the connection if the peer has not completed the close shortly after: a slow
     * or dead peer would never take the frame.
     */
    void close(int code, String reason) {
        Session s = session;
        if (s == null || !closing.compareAndSet(false, true)) {
            return;
        }
        channel.closingWith(code);
        s.close(code, reason, Callback.NOOP);
        channel.timer().schedule(() -> {
            if (s.isOpen()) {
                s.disconnect();
            }
        }, code == CloseCodes.SLOW_CONSUMER || code == CloseCodes.HEARTBEAT_TIMEOUT ? 0 : 2000, TimeUnit.MILLISECONDS);
    }

    String agentId() {
        return agentId;
    }

    private static Map<String, Object> reply(Object id, String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", type);
        return m;
    }

    private static Map<String, Object> error(Object id, int status, String message) {
        Map<String, Object> m = reply(id, "error");
        m.put("status", status);
        m.put("errors", List.of(message));
        return m;
    }

    private static String string(Map<String, Object> message, String field) {
        if (message.get(field) instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw ApiException.badRequest("missing or invalid field \"" + field + "\"");
    }

    private static String folder(String prefix) {
        return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    private static String printable(String text) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
