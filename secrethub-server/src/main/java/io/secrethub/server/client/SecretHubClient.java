package io.secrethub.server.client;

import io.secrethub.server.tls.PemFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/**
 * A Java client for SecretHub's HTTP API on Jetty's {@link HttpClient}. Make one per JVM and share it:
 * it holds the connection pools. {@link #agent} gives each agent its own key, certificate and HTTP/1.1
 * keep-alive connection, as a deployed agent has.
 *
 * <pre>{@code
 * SecretHubClient client = SecretHubClient.connect("https://127.0.0.1:8200", Path.of("ca.pem"));
 * String token = client.appRoleLogin(roleId, secretId);
 * Map<String, String> db = client.kvRead(token, "app/db");
 * }</pre>
 */
public final class SecretHubClient implements AutoCloseable {

    private static final JSON JSON_IO = JSON.std;
    private static final long TIMEOUT_SECONDS = 60;

    private final String baseUrl;
    private final HttpClient http;
    private final AgentSslContextFactory tls;
    private final Session anonymous;
    private org.eclipse.jetty.websocket.client.WebSocketClient webSockets;

    private SecretHubClient(String baseUrl, List<X509Certificate> trusted) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        TrustManager[] trust = trustManagers(trusted);
        this.tls = new AgentSslContextFactory(sslContext(trust), trust);
        ClientConnector connector = new ClientConnector() {
            @Override
            public ClientConnectionFactory newSslClientConnectionFactory(SslContextFactory.Client factory,
                    ClientConnectionFactory next) {
                SslContextFactory.Client chosen = factory != null ? factory : getSslContextFactory();
                return new AgentTaggingSslFactory(chosen, getByteBufferPool(), getExecutor(), next);
            }
        };
        connector.setSslContextFactory(tls);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("secrethub-client");
        threads.setDaemon(true);
        threads.setVirtualThreadsExecutor(org.eclipse.jetty.util.VirtualThreads.getDefaultVirtualThreadsExecutor());
        connector.setExecutor(threads);
        this.http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(64);
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
        this.anonymous = new Session(null);
    }

    /** A client of the server at {@code baseUrl} ({@code https://host:port}) trusting the CA in {@code caPem}. */
    public static SecretHubClient connect(String baseUrl, Path caPem) {
        try (Reader reader = Files.newBufferedReader(caPem, StandardCharsets.US_ASCII)) {
            return new SecretHubClient(baseUrl, PemFiles.certificates(reader));
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("cannot read the CA certificate " + caPem, e);
        }
    }

    /** Requests without a client certificate. */
    public Session anonymous() {
        return anonymous;
    }

    /**
     * A session with a connection of its own and no client certificate: an agent before it has one (it
     * registers over it), so it does not share a connection with other agents.
     */
    public Session newConnection() {
        return new Session(new AgentTaggingSslFactory.AgentTag("connection#" + UUID.randomUUID()));
    }

    /**
     * A session for one agent: its requests go over its own connection, which presents {@code certificatePem}
     * (leaf first, chain optional) with the agent's private key.
     */
    public Session agent(AgentKeys agentKeys, String certificatePem) {
        List<X509Certificate> chain = PemFiles.certificates(certificatePem);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in the given PEM");
        }
        String alias = agentKeys.agentId() + "#" + UUID.randomUUID();
        tls.addAgent(alias, agentKeys.keyPair().getPrivate(), chain.toArray(new X509Certificate[0]));
        return new Session(new AgentTaggingSslFactory.AgentTag(alias));
    }

    /** The WebSocket client of {@link SecretHubAgent}s, over this client's connections (so agents' certificates). */
    synchronized org.eclipse.jetty.websocket.client.WebSocketClient webSockets() {
        if (webSockets == null) {
            org.eclipse.jetty.websocket.client.WebSocketClient ws =
                    new org.eclipse.jetty.websocket.client.WebSocketClient(http);
            try {
                ws.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the WebSocket client", e);
            }
            webSockets = ws;
        }
        return webSockets;
    }

    /** The {@code wss://} URL of {@code path} below {@code /v1/}. */
    java.net.URI webSocketUri(String path) {
        return java.net.URI.create("wss" + baseUrl.substring("https".length()) + "/v1/" + path);
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                if (webSockets != null) {
                    webSockets.stop();
                }
            }
            http.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not stop cleanly", e);
        }
    }

    private static TrustManager[] trustManagers(List<X509Certificate> trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("ca" + i, trusted.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS for the client", e);
        }
    }

    /** The context of connections without a client certificate. */
    private static SSLContext sslContext(TrustManager[] trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the client", e);
        }
    }

    /** One answer: the status and the JSON body (empty for 204). */
    public record Response(int status, Map<String, Object> body) {

        @SuppressWarnings("unchecked")
        public Map<String, Object> data() {
            return (Map<String, Object>) body.get("data");
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> auth() {
            return (Map<String, Object>) body.get("auth");
        }

        /** This response, or the exception for a status other than 2xx. */
        @SuppressWarnings("unchecked")
        public Response orThrow() {
            if (status >= 200 && status < 300) {
                return this;
            }
            Object errors = body.get("errors");
            throw new SecretHubClientException(status, errors instanceof List<?> list ? (List<String>) list
                    : List.of());
        }
    }

    /** Requests on behalf of one caller: anonymous, or an agent with its own connection and certificate. */
    public final class Session {

        private final AgentTaggingSslFactory.AgentTag tag;

        private Session(AgentTaggingSslFactory.AgentTag tag) {
            this.tag = tag;
        }

        /** The tag that routes a request over this session's own connections (and certificate). */
        Object tag() {
            return tag;
        }

        /** Any call: {@code method} (GET, PUT, POST, DELETE, LIST), {@code path} below {@code /v1/}. */
        public Response send(String method, String path, String token, Map<String, ?> body) {
            Request request = http.newRequest(baseUrl + "/v1/" + path).method(method)
                    .timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (tag != null) {
                request.tag(tag);
            }
            if (token != null) {
                request.headers(h -> h.put("X-Vault-Token", token));
            }
            if (body != null) {
                request.body(new StringRequestContent("application/json", write(body), StandardCharsets.UTF_8));
            }
            ContentResponse response;
            try {
                response = request.send();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (TimeoutException | ExecutionException e) {
                throw new IllegalStateException("request to " + path + " failed: " + e.getMessage(), e);
            }
            String text = response.getContentAsString();
            return new Response(response.getStatus(), text == null || text.isBlank() ? Map.of() : read(text));
        }

        public Map<String, Object> health() {
            return send("GET", "sys/health", null, null).body();
        }

        /**
         * KV v2: writes {@code data} at {@code secret/data/<path>}; {@code cas} null for unconditional. Returns the
         * version.
         */
        public int kvWrite(String token, String path, Map<String, String> data, Integer cas) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", data);
            if (cas != null) {
                body.put("options", Map.of("cas", cas));
            }
            return ((Number) send("POST", "secret/data/" + path, token, body).orThrow().data().get("version"))
                    .intValue();
        }

        /** KV v2: the latest version's key/value pairs. */
        @SuppressWarnings("unchecked")
        public Map<String, String> kvRead(String token, String path) {
            return (Map<String, String>) send("GET", "secret/data/" + path, token, null).orThrow().data().get("data");
        }

        /** AppRole login; returns the client token. */
        public String appRoleLogin(String roleId, String secretId) {
            return (String) send("POST", "auth/approle/login", null, Map.of("role_id", roleId, "secret_id", secretId))
                    .orThrow().auth().get("client_token");
        }

        /** Registers an agent with its CSR; returns the certificate PEM. */
        public String registerAgent(String token, AgentKeys agentKeys) {
            return (String) send("PUT", "agents/" + agentKeys.agentId(), token, Map.of("csr", agentKeys.csrPem()))
                    .orThrow().data().get("certificate");
        }

        /** Renews this agent's certificate over mTLS (this session must be the agent's); returns the new PEM. */
        public String renewAgent(AgentKeys agentKeys) {
            return (String) send("POST", "agents/" + agentKeys.agentId() + "/renew", null,
                    Map.of("csr", agentKeys.newCsr())).orThrow().data().get("certificate");
        }
    }

    private static String write(Map<String, ?> body) {
        try {
            return JSON_IO.asString(body);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot write the request as JSON", e);
        }
    }

    private static Map<String, Object> read(String text) {
        try {
            return JSON_IO.mapFrom(text);
        } catch (JacksonException e) {
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("errors", new ArrayList<>(List.of(text.strip())));
            return raw;
        }
    }

    @Override
    public String toString() {
        return "SecretHubClient[" + baseUrl + "]";
    }

}
