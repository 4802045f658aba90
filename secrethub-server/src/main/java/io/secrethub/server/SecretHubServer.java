package io.secrethub.server;

import io.secrethub.core.SecretHub;
import io.secrethub.server.api.Api;
import io.secrethub.server.http.ApiHandler;
import io.secrethub.server.tls.AnyClientCertificate;
import io.secrethub.server.tls.ServerIdentity;
import io.secrethub.server.ws.AgentChannel;
import io.secrethub.server.ws.ChannelSettings;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * SecretHub over HTTPS: one Jetty server with one TLS connector in front of a {@link SecretHub}. Embeddable
 * (the tests and the load test start it in their JVM) and what {@link Main} runs.
 */
public final class SecretHubServer implements AutoCloseable {

    /** Requests in flight get this long to finish when the server stops. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private final SecretHub hub;
    private final Server jetty;
    private final ServerConnector connector;
    private final ListenAddress address;
    private final AgentChannel agentChannel;

    private SecretHubServer(Builder b) {
        this.hub = b.hub;
        this.address = b.address;
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("secrethub-http");
        // Jetty looks Thread.ofVirtual() up itself: virtual threads on Java 21+, null (platform threads) on 17.
        threads.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
        this.jetty = new Server(threads);

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
        jetty.addConnector(connector);

        if (b.baseline != null) {
            // A benchmark's fixed answer on the same TLS and HTTP set-up: no API, no agent channel.
            this.agentChannel = null;
            jetty.setHandler(new GracefulHandler(b.baseline));
        } else {
            ApiHandler api = new ApiHandler(Api.routes(hub), b.maxRequestBytes);
            // The agent channel's upgrade requests are taken here; every other request goes on to the API.
            this.agentChannel = new AgentChannel(hub, b.channelSettings);
            WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(jetty, agentChannel::configure);
            upgrades.setHandler(api);
            jetty.setHandler(new GracefulHandler(upgrades));
        }
        jetty.setStopTimeout(DRAIN_TIMEOUT.toMillis());
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

    /** Stops accepting, lets in-flight requests finish (up to {@link #DRAIN_TIMEOUT}), then closes connections. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not stop cleanly", e);
        } finally {
            if (agentChannel != null) {
                agentChannel.close();
            }
        }
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

        private Builder() {
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
}
