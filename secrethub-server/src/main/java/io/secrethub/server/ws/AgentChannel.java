package io.secrethub.server.ws;

import io.secrethub.core.SecretChangeListener;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubException;
import io.secrethub.server.http.Json;
import io.secrethub.server.tls.PemFiles;
import java.security.cert.X509Certificate;
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
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * The agent channel at {@value #PATH}: admits an upgrade only from an agent presenting a certificate of SecretHub's
 * internal CA that is not revoked (checked through core, as the HTTP agent endpoints do), keeps the open
 * {@link AgentSocket}s, hands each the secret changes it subscribed to, and runs their heartbeat.
 *
 * <p>Changes come from core's change feed, which hears this instance's writes and every other instance's through
 * PostgreSQL notifications, so an agent hears a write wherever it was made.
 */
public final class AgentChannel implements WebSocketCreator, SecretChangeListener, AutoCloseable {

    public static final String PATH = "/v1/agent/ws";

    private final SecretHub hub;
    private final ChannelSettings settings;
    private final Set<AgentSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ExecutorService work;
    private final ScheduledExecutorService timer;
    private final Map<Integer, AtomicInteger> closedByServer = new ConcurrentHashMap<>();

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
        timer.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
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

    /** Applies the channel's frame limits and idle limit and maps {@value #PATH} to this channel. */
    public void configure(ServerWebSocketContainer container) {
        container.setMaxTextMessageSize(settings.maxMessageBytes());
        container.setMaxBinaryMessageSize(settings.maxMessageBytes());
        container.setMaxFrameSize(settings.maxMessageBytes());
        container.setIdleTimeout(settings.idleLimit());
        container.addMapping(PATH, this);
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (!request.isSecure()) {
            return refuse(response, callback, 400, "the agent channel needs TLS");
        }
        Object session = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
        X509Certificate[] peer = session instanceof EndPoint.SslSessionData tls ? tls.peerCertificates() : null;
        if (peer == null || peer.length == 0) {
            return refuse(response, callback, 403, "client certificate required");
        }
        String address = Request.getRemoteAddr(request);
        try {
            var verification = hub.agents().verify(PemFiles.certificate(peer[0]));
            if (!verification.isValid()) {
                return refuse(response, callback, 403, "client certificate refused ("
                        + verification.outcome().name().toLowerCase(java.util.Locale.ROOT) + "): "
                                + verification.message());
            }
            String header = request.getHeaders().get("X-Vault-Token");
            String token = header == null || header.isEmpty() ? null : header;
            if (token != null) {
                // An invalid token fails the upgrade (403) rather than opening a socket only to close it.
                io.secrethub.core.ClientAddress.with(address, () -> hub.auth().tokens().lookup(token));
            }
            return new AgentSocket(this, verification.agentId(), address, token);
        } catch (SecretHubException e) {
            var error = io.secrethub.server.http.CoreErrors.map(e);
            return refuse(response, callback, error == null ? 500 : error.status(),
                    error == null ? "internal error" : String.join("; ", error.errors()));
        }
    }

    private static Object refuse(ServerUpgradeResponse response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, Json.write(Map.of("errors", List.of(message))) + "\n", callback);
        return null;
    }

    @Override
    public void secretChanged(String path) {
        for (AgentSocket socket : sockets) {
            socket.changed(path);
        }
    }

    @Override
    public void changesMayHaveBeenMissed() {
        for (AgentSocket socket : sockets) {
            socket.recheckAll();
        }
    }

    private void heartbeat() {
        long now = System.nanoTime();
        for (AgentSocket socket : sockets) {
            try {
                socket.heartbeat(now);
            } catch (RuntimeException e) {
                socket.close(1011, "internal error");
            }
        }
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

    void closingWith(int code) {
        closedByServer.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
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
