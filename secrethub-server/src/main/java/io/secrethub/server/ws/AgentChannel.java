package io.secrethub.server.ws;

import io.secrethub.core.SecretChangeListener;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubException;
import io.secrethub.core.SecretSubscriber;
import io.secrethub.core.TokenInfo;
import io.secrethub.core.VersionMetadata;
import io.secrethub.server.http.Json;
import io.secrethub.server.tls.PemFiles;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The agent channel at {@value #PATH}: admits an upgrade only from an agent presenting a certificate of SecretHub's
 * internal CA that is not revoked (checked through core, as the HTTP agent endpoints do), keeps the open
 * {@link AgentSocket}s, hands each the secret changes it subscribed to, and runs their heartbeat.
 *
 * <p>Changes come from core's change feed, which hears this instance's writes and every other instance's through
 * PostgreSQL notifications, so an agent hears a write wherever it was made. Revocations come the same way: a token
 * revoked or a certificate revoked on any instance closes the matching sockets on every instance.
 *
 * <p>On Jetty's core WebSocket API (a {@link WebSocketNegotiator} making {@link FrameHandler}s): see
 * {@link AgentSocket} for why not the Jetty API.
 */
public final class AgentChannel implements WebSocketNegotiator, SecretChangeListener, AutoCloseable {

    public static final String PATH = "/v1/agent/ws";

    private final SecretHub hub;
    private final ChannelSettings settings;
    private final Set<AgentSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService work;
    private final ScheduledExecutorService timer;
    private final Map<Integer, AtomicInteger> closedByServer = new ConcurrentHashMap<>();
    private final AtomicInteger upgradesRefused = new AtomicInteger();
    private volatile boolean draining;
    /** Subscribers per core call in a fan-out: their audit records are submitted together. */
    private static final int FAN_OUT_CHUNK = 250;
    /** Slices of the heartbeat interval that the sockets' pings are spread over. */
    private static final long HEARTBEAT_SLICES = 10;
    /** Slices in use: {@value #HEARTBEAT_SLICES}, or fewer for an interval under that many milliseconds. */
    private final long heartbeatSlices;
    /** Ticks of the heartbeat so far; only the timer's one thread touches it. */
    private long heartbeatTicks;
    private final AtomicInteger nextSlice = new AtomicInteger();
    private final Map<String, Boolean> fanOuts = new ConcurrentHashMap<>();
    private final PushReconciler reconciler;
    /**
     * Accessors revoked lately, by when: a socket whose upgrade looked its token up just before the revocation,
     * and so was not yet among the sockets when it was heard, checks here when it opens.
     */
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();
    private static final long REMEMBER_REVOKED_NANOS = TimeUnit.SECONDS.toNanos(30);

    public AgentChannel(SecretHub hub, ChannelSettings settings) {
        this.hub = hub;
        this.settings = settings;
        this.work = workers();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "secrethub-agent-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = settings.heartbeat().toMillis();
        this.heartbeatSlices = Math.min(HEARTBEAT_SLICES, every);
        long tick = every / heartbeatSlices;
        timer.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
        this.reconciler = new PushReconciler(hub, this::secretChanged);
        long reconcileEvery = settings.reconcileEvery().toMillis();
        // on a worker: the round queries the database, which must never hold up the heartbeat
        timer.scheduleWithFixedDelay(() -> work.execute(() -> reconciler.run(sockets)), reconcileEvery,
                reconcileEvery, TimeUnit.MILLISECONDS);
        hub.addSecretChangeListener(this);
    }

    /** Message handling blocks on the database: virtual threads where the runtime has them, else a bounded pool. */
    private static ExecutorService workers() {
        var virtual = VirtualThreads.getDefaultVirtualThreadsExecutor();
        if (virtual instanceof ExecutorService service) {
            return service;
        }
        ThreadPoolExecutor pool = new ThreadPoolExecutor(32, 32, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r
                -> {
            Thread t = new Thread(r, "secrethub-agent-channel");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Maps {@value #PATH} to this channel. */
    public void install(WebSocketUpgradeHandler upgrades) {
        upgrades.addMapping(PATH, this);
    }

    /** The channel's frame and message limits and idle limit, applied to each connection as it opens. */
    @Override
    public void customize(Configuration configuration) {
        configuration.setMaxTextMessageSize(settings.maxMessageBytes());
        configuration.setMaxBinaryMessageSize(settings.maxMessageBytes());
        configuration.setMaxFrameSize(settings.maxMessageBytes());
        configuration.setIdleTimeout(settings.idleLimit());
    }

    /**
     * Admits or refuses an upgrade. Admitted: no extension is negotiated whatever the agent offers. Messages are
     * small JSON (no gain from compression), a permessage-deflate context costs each connection tens of kilobytes
     * (its window and the zlib state), and compressing secrets beside text an attacker can influence is what the
     * CRIME and BREACH attacks read secrets through.
     */
    @Override
    public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!request.isSecure()) {
            return refuse(response, callback, 400, "the agent channel needs TLS");
        }
        if (draining) {
            return refuse(response, callback, 503, "this instance is draining; connect to another instance");
        }
        Object session = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] peer = session instanceof EndPoint.SslSessionData tls ? tls.peerCertificates() : null;
        if (peer == null || peer.length == 0) {
            return refuse(response, callback, 403, "client certificate required");
        }
        String address = Request.getRemoteAddr(request);
        try {
            // With the client's address: the peer proved it holds the certificate's key in the handshake, so only
            // a refused certificate costs its address's unauthenticated allowance (a fleet behind one address that
            // reconnects at once after a failover is not throttled); an address over its limit is refused (429).
            String pem = PemFiles.certificate(peer[0]);
            var verification = io.secrethub.core.ClientAddress.with(address, () -> hub.agents().verifyPresented(pem));
            if (!verification.isValid()) {
                return refuse(response, callback, 403, "client certificate refused ("
                        + verification.outcome().name().toLowerCase(java.util.Locale.ROOT) + "): "
                                + verification.message());
            }
            String header = request.getHeaders().get("X-Vault-Token");
            String token = header == null || header.isEmpty() ? null : header;
            TokenInfo info = null;
            if (token != null) {
                // An invalid token fails the upgrade (403) rather than opening a socket only to close it.
                info = io.secrethub.core.ClientAddress.with(address, () -> hub.auth().tokens().lookup(token));
            }
            response.setExtensions(List.of());
            return new AgentSocket(this, verification.agentId(), peer[0], address, token, info);
        } catch (SecretHubException e) {
            var error = io.secrethub.server.http.CoreErrors.map(e);
            return refuse(response, callback, error == null ? 500 : error.status(),
                    error == null ? "internal error" : String.join("; ", error.errors()));
        }
    }

    private FrameHandler refuse(ServerUpgradeResponse response, Callback callback, int status, String message) {
        upgradesRefused.incrementAndGet();
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, Json.write(Map.of("errors", List.of(message))) + "\n", callback);
        return null;
    }

    /**
     * Queues a fan-out of {@code path} to its subscribers. One fan-out per path runs at a time, so pushes of a path
     * keep their order; changes heard while it runs are coalesced into one more run.
     */
    @Override
    public void secretChanged(String path) {
        boolean[] start = {false};
        // absent: idle; FALSE: running; TRUE: running, and changed again since it started
        fanOuts.compute(path, (p, again) -> {
            if (again == null) {
                start[0] = true;
                return Boolean.FALSE;
            }
            return Boolean.TRUE;
        });
        if (start[0]) {
            work.execute(() -> runFanOut(path));
        }
    }

    private void runFanOut(String path) {
        while (true) {
            boolean delivered;
            try {
                delivered = fanOut(path);
            } catch (RuntimeException e) {
                delivered = false;
            }
            if (!delivered) {
                // sealed, database or audit trouble: the reconciler tries again once it can
                reconciler.fanOutFailed(path);
            }
            if (fanOuts.compute(path, (p, again) -> Boolean.TRUE.equals(again) ? Boolean.FALSE : null) == null) {
                return;
            }
        }
    }

    /**
     * Tells every subscriber of {@code path} its new state: one core call per chunk of subscribers, which loads and
     * authenticates the version once and authorizes and audits each subscriber (the records in shared batches).
     * Chunks run one after another on this thread: waiting here for tasks queued on the same bounded pool could
     * deadlock it when many paths fan out at once; different paths fan out in parallel.
     *
     * @return whether every chunk was delivered (a failed chunk's subscribers are marked as told nothing known)
     */
    private boolean fanOut(String path) {
        List<AgentSocket> subscribers = new ArrayList<>();
        for (AgentSocket socket : sockets) {
            if (socket.subscribedTo(path)) {
                subscribers.add(socket);
            }
        }
        boolean delivered = true;
        for (int from = 0; from < subscribers.size(); from += FAN_OUT_CHUNK) {
            List<AgentSocket> chunk = subscribers.subList(from, Math.min(subscribers.size(), from + FAN_OUT_CHUNK));
            try {
                deliver(path, chunk);
            } catch (RuntimeException e) {
                delivered = false; // that chunk's subscribers forgot the path; the next chunks are still told
            }
        }
        return delivered;
    }

    private void deliver(String path, List<AgentSocket> chunk) {
        List<SecretSubscriber> subscribers = new ArrayList<>(chunk.size());
        for (AgentSocket socket : chunk) {
            subscribers.add(socket.subscriber());
        }
        List<VersionMetadata> states;
        try {
            states = hub.secrets().changeNotices(path, subscribers);
        } catch (RuntimeException e) {
            chunk.forEach(socket -> socket.forget(path));
            throw e;
        }
        for (int i = 0; i < chunk.size(); i++) {
            VersionMetadata state = states.get(i);
            if (state != null) {
                chunk.get(i).deliver(path, SecretState.of(state));
            }
        }
    }

    @Override
    public void changesMayHaveBeenMissed() {
        Set<String> paths = new HashSet<>();
        for (AgentSocket socket : sockets) {
            paths.addAll(socket.subscribedPaths());
            socket.recheckCredentials(); // a revocation may have gone unheard too
        }
        paths.forEach(this::secretChanged);
    }

    /**
     * A token was revoked on some instance: the sockets it authenticated close ({@link CloseCodes#UNAUTHENTICATED}).
     */
    @Override
    public void tokenRevoked(String accessor) {
        long now = System.nanoTime();
        revoked.put(accessor, now);
        if (revoked.size() > 1_000) {
            revoked.values().removeIf(at -> now - at > REMEMBER_REVOKED_NANOS);
        }
        for (AgentSocket socket : sockets) {
            if (socket.authenticatedBy(accessor)) {
                socket.close(CloseCodes.UNAUTHENTICATED, "token revoked");
            }
        }
    }

    /**
     * An agent's certificates were revoked (or it registered again) on some instance: its sockets verify their
     * certificate again and close ({@link CloseCodes#CERTIFICATE_REFUSED}) if it is no longer valid.
     */
    @Override
    public void agentCertificatesChanged(String agentId) {
        for (AgentSocket socket : sockets) {
            if (socket.agentId().equals(agentId)) {
                socket.recheckCertificate();
            }
        }
    }

    /**
     * One tick of the heartbeat: the sockets of this tick's slice are pinged (and those silent since their last ping
     * closed). Each socket is in one of {@link #heartbeatSlices} slices and its slice comes round once a heartbeat
     * interval, so 10,000 connections are pinged a tenth at a time instead of all in the same second (a 4 s burst at
     * about 75% of the machine every 30 s at 10,000 agents).
     */
    private void heartbeat() {
        long now = System.nanoTime();
        long slice = heartbeatTicks++ % heartbeatSlices;
        for (AgentSocket socket : sockets) {
            if (socket.heartbeatSlice() % heartbeatSlices != slice) {
                continue;
            }
            try {
                socket.heartbeat(now);
            } catch (RuntimeException e) {
                socket.close(1011, "internal error");
            }
        }
    }

    /** A new socket's heartbeat slice: sockets opened one after another go to different slices. */
    int nextHeartbeatSlice() {
        return nextSlice.getAndIncrement() & Integer.MAX_VALUE;
    }

    SecretHub hub() {
        return hub;
    }

    ChannelSettings settings() {
        return settings;
    }

    ExecutorService work() {
        return work;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    void opened(AgentSocket socket) {
        sockets.add(socket);
    }

    void closed(AgentSocket socket) {
        sockets.remove(socket);
    }

    boolean recentlyRevoked(String accessor) {
        Long at = revoked.get(accessor);
        return at != null && System.nanoTime() - at < REMEMBER_REVOKED_NANOS;
    }

    void closingWith(int code) {
        closedByServer.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
    }

    /**
     * The instance is draining: refuse new connections (503) and tell every connected agent to move
     * ({@link CloseCodes#GOING_AWAY}). Idempotent.
     */
    public void drain() {
        draining = true;
        for (AgentSocket socket : sockets) {
            socket.close(CloseCodes.GOING_AWAY, CloseCodes.DRAINING_REASON);
        }
    }

    /** Paths fanned out again by the reconciliation since the start: changes whose push had been lost. */
    public long pushesReconciled() {
        return reconciler.fannedOutAgain();
    }

    /** Upgrades refused since the start (no certificate, a refused one, draining, sealed, bad token...). */
    public int upgradesRefused() {
        return upgradesRefused.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return sockets.size();
    }

    /** How many connections this server has closed with {@code code} (one of {@link CloseCodes} or 1011). */
    public int closedWith(int code) {
        AtomicInteger n = closedByServer.get(code);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        hub.removeSecretChangeListener(this);
        timer.shutdownNow();
        if (!(work instanceof ThreadPoolExecutor)) {
            return; // the shared virtual-thread executor is not ours to stop
        }
        work.shutdownNow();
    }
}
