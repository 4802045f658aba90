package io.secrethub.server;

import io.secrethub.core.SecretHub;
import io.secrethub.server.api.Api;
import io.secrethub.server.http.ApiHandler;
import io.secrethub.server.tls.AnyClientCertificate;
import io.secrethub.server.tls.HandshakeLimit;
import io.secrethub.server.tls.ServerIdentity;
import io.secrethub.server.ws.AgentChannel;
import io.secrethub.server.ws.ChannelSettings;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * SecretHub over HTTPS: one Jetty server with one TLS connector in front of a {@link SecretHub}. Embeddable
 * (the tests and the load test start it in their JVM) and what {@link Main} runs.
 */
public final class SecretHubServer implements AutoCloseable {

    /** Requests in flight get this long to finish when the server stops, unless the builder says otherwise. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Heap the buffer pool keeps in idle buffers, at most: about a hundred of the 20 KB buffers TLS reads and writes
     * records through, as many as fifty connections busy at once need. Jetty's default is an eighth of the heap:
     * its pool keeps every buffer a burst needed, and after a connect storm of 1,000 agents it held 4-8.5 MB of idle
     * buffers (4-8.5 KB per connection, none of them any connection's) for the life of the process. Past the bound,
     * a burst allocates and the garbage collector takes the surplus back. Direct buffers keep Jetty's default.
     */
    static final long POOLED_HEAP_BYTES = 2L * 1024 * 1024;

    private final SecretHub hub;
    private final Server jetty;
    /** Connections the kernel may hold for the acceptor; see where the connector is built. */
    static final int ACCEPT_QUEUE = 4096;
    /** A connection silent this long before its first request is closed, freeing its place in the connect limit. */
    static final Duration FIRST_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final ServerConnector connector;
    private final ListenAddress address;
    private final AgentChannel agentChannel;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Duration drainDelay;
    private final String apiAddress;
    private final HandshakeLimit handshakes;

    private SecretHubServer(Builder b) {
        this.hub = b.hub;
        this.address = b.address;
        this.drainDelay = b.drainDelay;
        this.apiAddress = b.apiAddress;
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("secrethub-http");
        // Jetty looks Thread.ofVirtual() up itself: virtual threads on Java 21+, null (platform threads) on 17.
        threads.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        this.jetty = new Server(threads, null, new ArrayByteBufferPool(0, -1, -1, Integer.MAX_VALUE, POOLED_HEAP_BYTES,
                0));

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(b.maxHeaderBytes);
        http.setHttpCompliance(HttpCompliance.RFC9110);
        http.setUriCompliance(UriCompliance.DEFAULT);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients reach the server by IP as often as by name
        http.addCustomizer(secure);

        SslContextFactory.Server tls = AnyClientCertificate.serverFactory();
        tls.setKeyStore(b.identity.keyStore());
        tls.setKeyStorePassword(b.identity.keyStorePassword());
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // Any client may offer a certificate (see AnyClientCertificate); the agent endpoints decide.
        tls.setWantClientAuth(true);
        tls.setEndpointIdentificationAlgorithm(null);

        HttpConnectionFactory httpFactory = new HttpConnectionFactory(http);
        SslConnectionFactory sslFactory = new SslConnectionFactory(tls, httpFactory.getProtocol());
        // A plain-HTTP request on the TLS port reaches the handler as an insecure request, which answers
        // 400 the way Go's server (and so Vault) does, instead of a silent reset.
        ConnectionFactory detector = new DetectorConnectionFactory(sslFactory);
        this.connector = new ServerConnector(jetty, detector, httpFactory);
        connector.setHost(address.host());
        connector.setPort(address.port());
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        connector.setReuseAddress(true);
        // The kernel's queue of connections not yet accepted. Jetty's default (0) lets the JDK pick 50, and a connect
        // storm overflowed it: 1,000 agents connecting at once made ~70,000 listen drops here, each SYN then retried
        // 1, 3, 7 s later, while the CPU sat half idle. The kernel caps it at net.core.somaxconn (4096 by default).
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        // At most this many connections between their accept and the answer to their first request: a storm of
        // connects is served in batches that finish, instead of all at once until the clients' timeouts fire.
        this.handshakes = new HandshakeLimit(connector, b.maxHandshakes, FIRST_REQUEST_TIMEOUT);
        connector.addBean(handshakes);
        // Jetty cuts every connection's idle timeout to 1 s when it stops, which would fail a request in flight that
        // waits longer for its body or its answer: requests in flight get the whole drain timeout instead. (An idle
        // keep-alive connection therefore also lasts until then at most: the stop is bounded by the drain timeout.)
        connector.setShutdownIdleTimeout(Math.max(1, b.drainTimeout.toMillis()));
        jetty.addConnector(connector);

        if (b.baseline != null) {
            // A benchmark's fixed answer on the same TLS and HTTP set-up: no API, no agent channel.
            this.agentChannel = null;
            jetty.setHandler(handshakes.firstRequest(new GracefulHandler(b.baseline)));
        } else {
            ApiHandler api = new ApiHandler(Api.routes(hub, draining::get), b.maxRequestBytes);
            // The agent channel's upgrade requests are taken here; every other request goes on to the API.
            this.agentChannel = new AgentChannel(hub, b.channelSettings);
            // Jetty's core WebSocket API, on the server's buffer pool and executor (see AgentSocket for why not the
            // Jetty API).
            WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler(
                    WebSocketServerComponents.ensureWebSocketComponents(jetty));
            agentChannel.install(upgrades);
            upgrades.setHandler(api);
            jetty.setHandler(handshakes.firstRequest(
                    new GracefulHandler(new ClosingWhileDraining(upgrades, draining))));
        }
        jetty.setStopTimeout(b.drainTimeout.toMillis());
        jetty.setStopAtShutdown(false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving.
     *
     * @throws SettingsException naming {@value ServerSettings#ADDR} if the address cannot be bound
     */
    public SecretHubServer start() {
        try {
            jetty.start();
            if (hub != null) {
                hub.sys().advertise(apiAddress != null ? apiAddress : url());
            }
        } catch (BindException e) {
            stopQuietly();
            throw new SettingsException(ServerSettings.ADDR, "cannot listen on " + address.authority(address.port())
                    + ": " + e.getMessage());
        } catch (Exception e) {
            stopQuietly();
            if (e.getCause() instanceof BindException || e instanceof java.io.IOException) {
                throw new SettingsException(ServerSettings.ADDR, "cannot listen on "
                        + address.authority(address.port()) + ": " + e.getMessage());
            }
            throw new IllegalStateException("the HTTP server did not start", e);
        }
        return this;
    }

    /** The bound on connects in progress (tests). */
    HandshakeLimit handshakes() {
        return handshakes;
    }

    /** The bound port (the chosen one when the address asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code https://HOST:PORT}. */
    public String url() {
        return "https://" + address.authority(port());
    }

    public SecretHub hub() {
        return hub;
    }

    /** The WebSocket agent channel ({@value AgentChannel#PATH}); {@code null} on a {@code baseline} server. */
    public AgentChannel agentChannel() {
        return agentChannel;
    }

    /**
     * Starts draining, at once: {@code sys/health} answers 429 ({@code drainingcode}), every response closes its
     * connection (so keep-alive clients reconnect, through the balancer, elsewhere), new agent connections are
     * refused with 503 and connected agents are closed with {@link io.secrethub.server.ws.CloseCodes#GOING_AWAY}.
     * Requests are still served until {@link #close}. Idempotent.
     */
    public void drain() {
        if (draining.compareAndSet(false, true) && agentChannel != null) {
            agentChannel.drain();
        }
    }

    /** Whether {@link #drain} was called. */
    public boolean draining() {
        return draining.get();
    }

    /**
     * Drains ({@link #drain}), keeps serving for the drain delay (so load balancers see the 429 before the port
     * closes), then stops accepting, lets in-flight requests finish (up to the drain timeout), and closes connections.
     */
    @Override
    public void close() {
        drain();
        if (!drainDelay.isZero()) {
            try {
                Thread.sleep(drainDelay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            jetty.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            drainTimedOut();
        } catch (Exception e) {
            if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
                drainTimedOut();
            } else {
                throw new IllegalStateException("the HTTP server did not stop cleanly", e);
            }
        } finally {
            if (agentChannel != null) {
                agentChannel.close();
            }
        }
    }

    /**
     * Jetty waited the whole drain timeout for a connection (a request still running, or a client that never
     * finished sending one) and then stopped all the same, closing it: the server is stopped, so the caller goes on
     * (sealing, flushing the audit log) rather than fail.
     */
    private static void drainTimedOut() {
        System.getLogger(SecretHubServer.class.getName()).log(System.Logger.Level.WARNING,
                "connections still open at the end of the drain timeout were closed");
    }

    private void stopQuietly() {
        try {
            jetty.stop();
        } catch (Exception ignored) {
            // already failing to start: the start failure is what matters
        } finally {
            if (agentChannel != null) {
                agentChannel.close();
            }
        }
    }

    /** Settings of one server. */
    public static final class Builder {

        private SecretHub hub;
        private ListenAddress address = ListenAddress.parse(ServerSettings.ADDR, ServerSettings.DEFAULT_ADDR);
        private ServerIdentity identity;
        private Duration idleTimeout = ServerSettings.DEFAULT_IDLE_TIMEOUT;
        private long maxRequestBytes = ServerSettings.DEFAULT_MAX_REQUEST_BYTES;
        private int maxHeaderBytes = 16 * 1024;
        private Handler baseline;
        private ChannelSettings channelSettings = ChannelSettings.defaults();
        private Duration drainTimeout = DRAIN_TIMEOUT;
        private Duration drainDelay = Duration.ZERO;
        private String apiAddress;
        private int maxHandshakes = ServerSettings.DEFAULT_MAX_HANDSHAKES;

        private Builder() {
        }

        /** How long requests in flight may take to finish once the server stops (default 10 s). */
        public Builder drainTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must not be negative");
            }
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * How long a closing server keeps serving while its health says 429, before it stops accepting (default 0).
         * Set it to how long the load balancer takes to notice an unhealthy instance.
         */
        public Builder drainDelay(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("drainDelay must not be negative");
            }
            this.drainDelay = delay;
            return this;
        }

        /**
         * At most this many connections between their accept and the answer to their first request (default
         * {@value ServerSettings#DEFAULT_MAX_HANDSHAKES}); further connections wait to be accepted.
         */
        public Builder maxHandshakes(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxHandshakes must be at least 1, was " + max);
            }
            this.maxHandshakes = max;
            return this;
        }

        /** The API address this instance advertises to the others ({@code sys/ha-status}); default {@link #url()}. */
        public Builder apiAddress(String address) {
            this.apiAddress = Objects.requireNonNull(address, "apiAddress");
            return this;
        }

        public Builder hub(SecretHub hub) {
            this.hub = Objects.requireNonNull(hub, "hub");
            return this;
        }

        public Builder address(ListenAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        public Builder identity(ServerIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /** A connection idle this long (including a request that never finishes) is closed. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout, "idleTimeout");
            return this;
        }

        /** Limits of the WebSocket agent channel (heartbeat, idle limit, frame size, queue, rate). */
        public Builder channelSettings(ChannelSettings settings) {
            this.channelSettings = Objects.requireNonNull(settings, "channelSettings");
            return this;
        }

        public Builder maxRequestBytes(long bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        /**
         * Serves {@code handler} instead of the API, behind exactly the same TLS, HTTP and thread set-up, and needs no
         * hub. For benchmarks: a handler that answers a fixed body measures what the HTTP stack itself can do here,
         * the ceiling the API's figures are read against.
         */
        public Builder baseline(Handler handler) {
            this.baseline = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public SecretHubServer build() {
            if (baseline == null) {
                Objects.requireNonNull(hub, "hub");
            }
            Objects.requireNonNull(identity, "identity");
            return new SecretHubServer(this);
        }
    }

    /** While draining, every response says {@code Connection: close}, so clients open their next connection anew. */
    private static final class ClosingWhileDraining extends Handler.Wrapper {

        private final AtomicBoolean draining;

        ClosingWhileDraining(Handler next, AtomicBoolean draining) {
            super(next);
            this.draining = draining;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (draining.get()) {
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            return super.handle(request, response, callback);
        }
    }
}
