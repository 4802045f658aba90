package io.secrethub.server.ws;

import io.secrethub.core.ClientAddress;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.Secret;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretSubscriber;
import io.secrethub.core.TokenInfo;
import io.secrethub.server.http.ApiException;
import io.secrethub.server.http.CoreErrors;
import io.secrethub.server.http.Json;
import io.secrethub.server.tls.PemFiles;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

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
 *
 * <p>A handler of Jetty's core WebSocket API ({@link FrameHandler}), not of its Jetty API ({@code Session.Listener}):
 * the Jetty API keeps a copy of the upgrade request and response with every session for
 * {@code Session.getUpgradeRequest()}, and those copies hold the HTTP/1.1 exchange they came from (connection,
 * parser, channel, request headers) for the life of the socket, about 5 KB per agent. Nothing here needs them: what
 * the socket uses of the upgrade (certificate, address, token) is copied by {@link AgentChannel} before it is made.
 * So text messages are put together here from their frames, and pings answered here.
 */
public final class AgentSocket implements FrameHandler {

    private final AgentChannel channel;
    private final SecretHub hub;
    private final String agentId;
    private final String address;
    /**
     * The certificate the agent presented: the TLS session holds this very object, so keeping it costs nothing,
     * where its PEM text cost about a kilobyte per connection. Encoded again only for a recheck.
     */
    private final X509Certificate certificate;
    private volatile String token;
    /** The token's accessor, to recognize its revocation; set with the token. */
    private volatile String accessor;
    private volatile ScheduledFuture<?> expiryCheck;
    private final java.time.Instant tokenExpiry;
    private volatile CoreSession session;

    // Every connection has these, and an agent follows few paths: they start with 4 slots, not a map's default 16.
    // Folder subscriptions are rarer still; their set is made with the first one (copy on write: they are read on
    // every fan-out and written once or twice in a connection's life).
    private final Set<String> paths = ConcurrentHashMap.newKeySet(2);
    private volatile Set<String> prefixes = Set.of();
    /** What the agent was last told of each path, so a push is sent only for a real change. */
    private final Map<String, SecretState> told = new ConcurrentHashMap<>(2);

    /** Messages handed to the network and not yet taken by it (see {@link #send}). */
    private volatile int unsent;
    private static final AtomicIntegerFieldUpdater<AgentSocket> UNSENT =
            AtomicIntegerFieldUpdater.newUpdater(AgentSocket.class, "unsent");
    /** 1 once the server has decided to close the socket: nothing more is sent or handled. */
    private volatile int closing;
    private static final AtomicIntegerFieldUpdater<AgentSocket> CLOSING =
            AtomicIntegerFieldUpdater.newUpdater(AgentSocket.class, "closing");
    /**
     * The message whose frames are arriving: its opcode (0 between messages), its length so far and, for text in
     * several frames, its bytes so far. Only the frame handler touches them, one frame at a time.
     */
    private byte messageType;
    private byte[] fragments;
    private int fragmentsLength;
    private final RateLimit rate;
    private final long openedAt = System.nanoTime();
    /** Which slice of the heartbeat interval pings this socket (see {@code AgentChannel.heartbeat}). */
    private final int heartbeatSlice;
    private volatile long lastHeard = System.nanoTime();
    private volatile long pingSentAt;

    AgentSocket(AgentChannel channel, String agentId, X509Certificate certificate, String address, String token,
            TokenInfo info) {
        this.channel = channel;
        this.hub = channel.hub();
        this.agentId = agentId;
        this.certificate = certificate;
        this.address = address;
        this.token = token;
        this.accessor = info == null ? null : info.accessor();
        this.tokenExpiry = info == null ? null : info.expiresAt();
        this.rate = new RateLimit(channel.settings().messagesPerSecond(), channel.settings().burst(),
                System.nanoTime());
        this.heartbeatSlice = channel.nextHeartbeatSlice();
    }

    @Override
    public void onOpen(CoreSession session, Callback callback) {
        this.session = session;
        callback.succeeded();
        channel.opened(this);
        if (accessor != null && channel.recentlyRevoked(accessor)) {
            // Revoked while the upgrade was under way, before this socket could hear of it.
            close(CloseCodes.UNAUTHENTICATED, "token revoked");
        } else {
            scheduleExpiryCheck(tokenExpiry);
        }
        session.demand();
    }

    /**
     * One frame (demanded: the next comes only after {@link #demandNext}). Text messages are decoded here and
     * handled on a worker, which demands the next frame when it is done; binary messages are refused with an error
     * message; pings are answered; a close is answered by Jetty once the callback completes.
     */
    @Override
    public void onFrame(Frame frame, Callback callback) {
        lastHeard = System.nanoTime();
        switch (frame.getOpCode()) {
            case OpCode.TEXT, OpCode.BINARY, OpCode.CONTINUATION -> dataFrame(frame, callback);
            case OpCode.PING -> {
                pong(frame.getPayload());
                callback.succeeded();
                demandNext();
            }
            case OpCode.CLOSE -> callback.succeeded();
            default -> {
                callback.succeeded();
                demandNext();
            }
        }
    }

    private void dataFrame(Frame frame, Callback callback) {
        if (frame.getOpCode() != OpCode.CONTINUATION) {
            messageType = frame.getOpCode();
        }
        ByteBuffer payload = frame.getPayload();
        int length = payload == null ? 0 : payload.remaining();
        if ((long) fragmentsLength + length > channel.settings().maxMessageBytes()) {
            // The limit is on the message: Jetty cuts a frame over it into fragments (autoFragment) rather than
            // refusing it, and a message may come in many frames anyway.
            callback.succeeded();
            endMessage();
            close(CloseStatus.MESSAGE_TOO_LARGE, "message larger than " + channel.settings().maxMessageBytes()
                    + " bytes");
            demandNext();
            return;
        }
        if (!frame.isFin()) {
            if (messageType == OpCode.TEXT) {
                append(payload, length);
            } else {
                fragmentsLength += length; // a binary message is counted, never kept
            }
            callback.succeeded();
            demandNext();
            return;
        }
        byte type = messageType;
        String text = null;
        boolean badText = false;
        if (type == OpCode.TEXT && closing == 0) {
            try {
                text = decode(payload, length);
            } catch (CharacterCodingException e) {
                badText = true;
            }
        }
        callback.succeeded(); // the payload is not used beyond this point
        endMessage();
        if (closing != 0) {
            demandNext(); // read on until the peer's close: a message after ours is dropped
        } else if (badText) {
            close(CloseStatus.BAD_PAYLOAD, "text message is not valid UTF-8");
            demandNext();
        } else if (type == OpCode.TEXT) {
            onText(text);
        } else {
            onBinary();
        }
    }

    private void append(ByteBuffer payload, int length) {
        int needed = fragmentsLength + length;
        if (fragments == null || fragments.length < needed) {
            int size = Math.min(channel.settings().maxMessageBytes(), Math.max(needed, 2 * fragmentsLength));
            fragments = fragments == null ? new byte[Math.max(size, 256)] : Arrays.copyOf(fragments, size);
        }
        if (length > 0) {
            payload.duplicate().get(fragments, fragmentsLength, length);
        }
        fragmentsLength = needed;
    }

    /** The whole message's text: the last frame alone, or the frames so far and the last. Strict UTF-8. */
    private String decode(ByteBuffer last, int length) throws CharacterCodingException {
        ByteBuffer whole;
        if (fragments == null) {
            whole = last == null ? ByteBuffer.allocate(0) : last.duplicate();
        } else {
            append(last, length);
            whole = ByteBuffer.wrap(fragments, 0, fragmentsLength);
        }
        return StandardCharsets.UTF_8.newDecoder().decode(whole).toString();
    }

    private void endMessage() {
        messageType = 0;
        fragments = null;
        fragmentsLength = 0;
    }

    private void onText(String text) {
        channel.work().execute(() -> {
            try {
                handle(text);
            } catch (RuntimeException e) {
                close(1011, "internal error");
            } finally {
                demandNext();
            }
        });
    }

    private void onBinary() {
        if (rate.take(System.nanoTime())) {
            send(error(null, 400, "binary messages are not accepted; send JSON text"));
        } else if (rate.exhausted()) {
            close(CloseCodes.RATE_LIMITED, "rate limit exceeded");
        }
        demandNext();
    }

    /** A ping's answer (RFC 6455 5.5.2), counted with the messages the network has not taken. */
    private void pong(ByteBuffer payload) {
        CoreSession s = reserveSlot();
        if (s == null) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload == null ? 0 : payload.remaining());
        if (payload != null) {
            copy.put(payload.duplicate()).flip();
        }
        s.sendFrame(new Frame(OpCode.PONG, copy), Callback.from(this::sent, failure -> sent()), false);
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        callback.succeeded(); // onClosed follows
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        cancelExpiryCheck();
        channel.closed(this);
        endMessage();
        callback.succeeded();
    }

    /** Asks for the next frame while the peer may still send (also after our close: its close frame ends it). */
    private void demandNext() {
        CoreSession s = session;
        if (s != null && s.isInputOpen()) {
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
        TokenInfo info = hub.auth().tokens().lookup(presented); // InvalidTokenException closes the socket
        if (channel.recentlyRevoked(info.accessor())) {
            close(CloseCodes.UNAUTHENTICATED, "token revoked");
            return;
        }
        accessor = info.accessor();
        token = presented;
        scheduleExpiryCheck(info.expiresAt());
        send(reply(id, "authenticated"));
    }

    /** Whether this socket's token has {@code revokedAccessor} (a revocation heard from any instance). */
    boolean authenticatedBy(String revokedAccessor) {
        String mine = accessor;
        return mine != null && java.security.MessageDigest.isEqual(
                mine.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                revokedAccessor.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Looks the token up again (audited): closes the socket if it is no longer valid (revoked, expired), else
     * checks again when it expires. Tokens without a lease expire without a revocation notice, hence the timer.
     */
    private void checkToken(String presented) {
        if (closing != 0 || presented == null) {
            return;
        }
        try {
            TokenInfo info = ClientAddress.with(address, () -> hub.auth().tokens().lookup(presented));
            accessor = info.accessor();
            scheduleExpiryCheck(info.expiresAt());
        } catch (InvalidTokenException e) {
            close(CloseCodes.UNAUTHENTICATED, "token no longer valid");
        } catch (RuntimeException e) {
            // sealed or database trouble: the next request or heartbeat finds out
        }
    }

    private void scheduleExpiryCheck(java.time.Instant expiresAt) {
        cancelExpiryCheck();
        if (expiresAt == null || closing != 0) {
            return;
        }
        long delay = Math.max(0, java.time.Duration.between(java.time.Instant.now(), expiresAt).toMillis()) + 50;
        String presented = token;
        expiryCheck = channel.timer().schedule(() -> channel.work().execute(() -> checkToken(presented)), delay,
                TimeUnit.MILLISECONDS);
    }

    private void cancelExpiryCheck() {
        ScheduledFuture<?> check = expiryCheck;
        if (check != null) {
            check.cancel(false);
        }
    }

    /** Verifies the certificate again (audited, like an HTTP agent request); closes the socket if it is refused. */
    void recheckCertificate() {
        channel.work().execute(() -> {
            if (closing != 0) {
                return;
            }
            try {
                String pem = PemFiles.certificate(certificate);
                var verification = ClientAddress.with(address, () -> hub.agents().verifyPresented(pem));
                if (!verification.isValid()) {
                    close(CloseCodes.CERTIFICATE_REFUSED, "client certificate no longer valid ("
                            + verification.outcome().name().toLowerCase(java.util.Locale.ROOT) + ")");
                }
            } catch (RuntimeException e) {
                // sealed or database trouble: checked again when the feed reconnects
            }
        });
    }

    /** The feed may have missed revocations: the token and the certificate are checked again. */
    void recheckCredentials() {
        checkTokenLater();
        recheckCertificate();
    }

    private void checkTokenLater() {
        String presented = token;
        if (presented != null) {
            channel.work().execute(() -> checkToken(presented));
        }
    }

    private void read(Object id, String path) {
        // Not recorded as told: an answer to a read goes to whoever asked (the agent's caller), not necessarily into
        // the agent's kept copy, so a push of the same version must still follow.
        Secret secret = hub.secrets().read(token, path);
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
            addPrefix(prefix);
            m.put("prefix", prefix);
        } else {
            String path = string(message, "path");
            SecretState state = subscribeAndRead(path);
            if (state == null) {
                throw new ApiException(403, CoreErrors.PERMISSION_DENIED);
            }
            m.putAll(state.fields(path));
        }
        send(m);
    }

    private void unsubscribe(Object id, Map<String, Object> message) {
        Map<String, Object> m = reply(id, "unsubscribed");
        if (message.get("prefix") != null) {
            String prefix = folder(string(message, "prefix"));
            removePrefix(prefix);
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
            SecretState state = subscribeAndRead(path);
            if (state == null) {
                denied.add(path);
                continue;
            }
            if (state.version() != version.intValue() || state.deleted()) {
                changed.add(state.fields(path));
            }
        }
        Map<String, Object> m = reply(id, "synced");
        m.put("changed", changed);
        m.put("denied", denied);
        send(m);
    }

    /**
     * Subscribes to {@code path} and reads its state, recorded as told to the agent (unless a push raced ahead of
     * the reply with a newer version). Subscribed before the read, so a change committed in between is pushed and
     * never lost between the two; a path the token may not read is unsubscribed again.
     *
     * @return the path's state, or null if the token may not read it
     */
    private SecretState subscribeAndRead(String requested) {
        // One String per path for all the sockets that follow it (a fan-out's path is held by every subscriber).
        String path = requested.intern();
        boolean added = paths.add(path);
        SecretState state = SecretState.of(hub, token, path);
        if (state == null) {
            if (added) {
                paths.remove(path);
            }
            return null;
        }
        told.merge(path, state, (pushed, read) -> pushed.version() > read.version() ? pushed : read);
        return state;
    }

    /** Whether a change of {@code path} is to be pushed here (authenticated, open, and subscribed to it). */
    boolean subscribedTo(String path) {
        return token != null && closing == 0 && (paths.contains(path) || underPrefix(path));
    }

    /** The exact paths subscribed to (to re-check after the change feed may have missed changes). */
    Set<String> subscribedPaths() {
        return paths;
    }

    /** Who this agent is to core when a change is pushed to it: its token and address. */
    SecretSubscriber subscriber() {
        return new SecretSubscriber(token, address);
    }

    /** Pushes {@code state} unless the agent was already told it. */
    void deliver(String path, SecretState state) {
        if (!state.equals(told.put(path, state))) {
            Map<String, Object> m = reply(null, "secret-changed");
            m.putAll(state.fields(path));
            send(m);
        }
    }

    /**
     * The path's state could not be told (sealed, database or audit trouble): what the agent holds is unknown now,
     * so the next push of the path is sent whatever it says, and the channel's reconciliation sees the difference.
     */
    void forget(String path) {
        told.put(path, SecretState.UNKNOWN);
    }

    /**
     * What the agent was told of each path it still follows, for the channel's reconciliation with the database
     * ({@link PushReconciler}); nothing while the socket is unauthenticated or closing.
     */
    void toldStates(java.util.function.BiConsumer<String, SecretState> sink) {
        if (token == null || closing != 0) {
            return;
        }
        for (Map.Entry<String, SecretState> e : told.entrySet()) {
            if (subscribedTo(e.getKey())) {
                sink.accept(e.getKey(), e.getValue());
            }
        }
    }

    private synchronized void addPrefix(String prefix) {
        if (!prefixes.contains(prefix)) {
            Set<String> more = new java.util.HashSet<>(prefixes);
            more.add(prefix);
            prefixes = Set.copyOf(more);
        }
    }

    private synchronized void removePrefix(String prefix) {
        if (prefixes.contains(prefix)) {
            Set<String> fewer = new java.util.HashSet<>(prefixes);
            fewer.remove(prefix);
            prefixes = Set.copyOf(fewer);
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

    int heartbeatSlice() {
        return heartbeatSlice;
    }

    /** One heartbeat tick: a peer that sent nothing since the last ping is dead; otherwise ping again. */
    void heartbeat(long now) {
        CoreSession s = session;
        if (s == null || !s.isOutputOpen()) {
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
        s.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
    }

    /**
     * The session, with one more message counted as not yet taken by the network; null when nothing may be sent
     * (closed or closing, or the queue was full, which closes the socket as a slow consumer).
     */
    private CoreSession reserveSlot() {
        CoreSession s = session;
        if (s == null || !s.isOutputOpen() || closing != 0) {
            return null;
        }
        if (UNSENT.incrementAndGet(this) > channel.settings().maxQueuedMessages()) {
            close(CloseCodes.SLOW_CONSUMER, "outgoing queue full: read your messages");
            return null;
        }
        return s;
    }

    private void send(Map<String, Object> message) {
        CoreSession s = reserveSlot();
        if (s == null) {
            return;
        }
        s.sendFrame(new Frame(OpCode.TEXT, Json.write(message)), Callback.from(this::sent, failure -> sent()), false);
    }

    /** A message (or pong) was taken by the network, or failed. */
    private void sent() {
        UNSENT.decrementAndGet(this);
    }

    /**
     * Sends the close frame, and drops the connection if the peer has not completed the close shortly after: a slow
     * or dead peer would never take the frame.
     */
    void close(int code, String reason) {
        CoreSession s = session;
        if (s == null || !CLOSING.compareAndSet(this, 0, 1)) {
            return;
        }
        channel.closingWith(code);
        s.close(code, reason, Callback.NOOP);
        // isClosed, not isOutputOpen: once the close frame is out the output is closed, and a peer that never
        // answers it must still be dropped.
        channel.timer().schedule(() -> {
            if (!s.isClosed()) {
                s.abort();
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
