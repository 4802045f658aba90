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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * String token = client.anonymous().appRoleLogin(roleId, secretId);
 * Map<String, String> db = client.anonymous().kvRead(token, "app/db");
 * }</pre>
 *
 * <p><b>Several servers</b> ({@link #builder()}{@code .addresses(...)}): each session starts on its own address,
 * round-robin, and stays there while it works. A failed connection (refused, reset), a 503 (sealed, or stopping)
 * or a 429 (draining) penalizes that address for {@link Builder#penalty a short while} and moves the session to
 * the next address that is not penalized. What is sent again there:
 * <ul>
 *   <li>any request that never reached a server (the connection was refused, or failed before the request was
 *       sent), and any request a server refused with 503 or 429: nothing was applied;</li>
 *   <li>reads and other idempotent requests (GET, LIST, HEAD) after a lost answer or a 500/502/504, with a short
 *       backoff, so a read rides through an instance's death or a database restart without an error;</li>
 *   <li>a KV v2 check-and-set write ({@code options.cas}) after a lost answer or a 500/502/504: it cannot apply
 *       twice. If the retry is refused because the version moved on, the client reads version {@code cas + 1}:
 *       when it holds what was written, the first attempt was applied and that is the answer; otherwise the
 *       refusal is;</li>
 * </ul>
 * Any other write whose answer was lost throws {@link WriteOutcomeUnknownException}: it may or may not have
 * happened. When no server could be reached within the {@link Builder#failoverBudget failover budget}, the request
 * throws {@link ServerUnavailableException} (nothing was applied), or a lost write's exception.
 */
public final class SecretHubClient implements AutoCloseable {

    private static final JSON JSON_IO = io.secrethub.server.http.Json.RECYCLING;
    /** Answers that describe the instance itself: passed to the caller as they are, never failed over. */
    private static final Set<String> INSTANCE_PATHS = Set.of("sys/health", "sys/seal-status", "sys/init",
            "sys/unseal", "sys/ha-status", "sys/leader");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "LIST", "OPTIONS");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final Endpoints endpoints;
    private final Duration requestTimeout;
    /** Two of the server's default heartbeats (30 s) and a margin: see {@link Builder#agentIdleTimeout}. */
    static final Duration DEFAULT_AGENT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    private final Duration agentIdleTimeout;
    private final Duration failoverBudget;
    private final HttpClient http;
    private final AgentSslContextFactory tls;
    private final Session anonymous;
    private org.eclipse.jetty.websocket.client.WebSocketClient webSockets;

    private SecretHubClient(Builder b, List<X509Certificate> trusted) {
        this.endpoints = new Endpoints(b.addresses, b.penalty);
        this.requestTimeout = b.requestTimeout;
        this.agentIdleTimeout = b.agentIdleTimeout;
        this.failoverBudget = b.failoverBudget;
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
        this.anonymous = new Session(null, false);
    }

    /** A client of the server at {@code baseUrl} ({@code https://host:port}) trusting the CA in {@code caPem}. */
    public static SecretHubClient connect(String baseUrl, Path caPem) {
        return builder().addresses(List.of(baseUrl)).trust(caPem).build();
    }

    /** A client of several servers (one cluster on one database), trusting the CA in {@code caPem}. */
    public static SecretHubClient connect(List<String> baseUrls, Path caPem) {
        return builder().addresses(baseUrls).trust(caPem).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server addresses, in the order given. */
    public List<String> addresses() {
        return endpoints.urls();
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
        return new Session(new AgentTaggingSslFactory.AgentTag("connection#" + UUID.randomUUID()), false);
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
        return new Session(new AgentTaggingSslFactory.AgentTag(alias), true);
    }

    /** The WebSocket client of {@link SecretHubAgent}s, over this client's connections (so agents' certificates). */
    synchronized org.eclipse.jetty.websocket.client.WebSocketClient webSockets() {
        if (webSockets == null) {
            org.eclipse.jetty.websocket.client.WebSocketClient ws =
                    new org.eclipse.jetty.websocket.client.WebSocketClient(http);
            ws.setIdleTimeout(agentIdleTimeout);
            try {
                ws.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the WebSocket client", e);
            }
            webSockets = ws;
        }
        return webSockets;
    }

    Endpoints endpoints() {
        return endpoints;
    }

    Duration failoverBudget() {
        return failoverBudget;
    }

    /** The {@code wss://} URL of {@code path} below {@code /v1/} on the server at {@code index}. */
    java.net.URI webSocketUri(int index, String path) {
        return java.net.URI.create("wss" + endpoints.url(index).substring("https".length()) + "/v1/" + path);
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
        /** Made by {@link #agent}: its connections present the agent's certificate. */
        private final boolean presentsCertificate;
        /** The address this session works on; moved by a failure. */
        private volatile int current;

        private Session(AgentTaggingSslFactory.AgentTag tag, boolean presentsCertificate) {
            this.tag = tag;
            this.presentsCertificate = presentsCertificate;
            this.current = endpoints.start();
        }

        /** The index of the address this session works on. */
        int index() {
            return current;
        }

        /** The address this session sends to now. */
        public String server() {
            return endpoints.url(endpoints.choose(current));
        }

        /** The tag that routes a request over this session's own connections (and certificate). */
        Object tag() {
            return tag;
        }

        /** The client this session belongs to. */
        SecretHubClient client() {
            return SecretHubClient.this;
        }

        /** Whether this session presents an agent's certificate ({@link #agent}), not none. */
        boolean presentsCertificate() {
            return presentsCertificate;
        }

        /**
         * Any call: {@code method} (GET, PUT, POST, DELETE, LIST), {@code path} below {@code /v1/} (a query may
         * follow), failed over to the other servers as the class describes.
         *
         * @throws WriteOutcomeUnknownException a write was sent, no answer came, and it cannot be sent again safely
         * @throws ServerUnavailableException no server could serve it within the failover budget; not applied
         */
        public Response send(String method, String path, String token, Map<String, ?> body) {
            boolean instance = INSTANCE_PATHS.contains(path);
            boolean idempotent = IDEMPOTENT.contains(method);
            Integer cas = casOf(method, path, body);
            long deadline = System.nanoTime() + failoverBudget.toNanos();
            Duration backoff = FIRST_BACKOFF;
            boolean maybeApplied = false; // a write was sent once and its answer lost
            String lostAt = null;
            Throwable last = null;
            int attempts = 0;
            while (true) {
                int index = endpoints.choose(current);
                if (attempts > 0 && (endpoints.penalized(index) || attempts % endpoints.size() == 0)) {
                    sleep(backoff); // every address failed lately: do not spin on them
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
                    index = endpoints.choose(current);
                }
                current = index;
                attempts++;
                boolean more = System.nanoTime() - deadline < 0;
                Attempt attempt = attempt(index, method, path, token, body);
                Response response = attempt.response();
                if (response != null) {
                    int status = response.status();
                    if (!instance && (status == 503 || status == 429)) {
                        // sealed, stopping or draining: refused before anything was done
                        current = endpoints.failed(index);
                        last = new SecretHubClientException(status, errors(response));
                        if (more) {
                            continue;
                        }
                    } else if (!instance && (idempotent || cas != null)
                            && (status == 500 || status == 502 || status == 504) && more) {
                        last = new SecretHubClientException(status, errors(response));
                        current = (index + 1) % endpoints.size(); // not the address's fault: no penalty
                        if (cas != null) {
                            // failed, perhaps after it was applied (a database restart): resolved like a lost answer
                            maybeApplied = true;
                            lostAt = endpoints.url(index);
                        }
                        continue;
                    }
                    if (maybeApplied && cas != null && status == 400 && casMismatch(response)) {
                        return resolveCas(path, token, body, cas, response, lostAt, last);
                    }
                    if (maybeApplied && (status == 503 || status == 429)) {
                        throw new WriteOutcomeUnknownException(method, path, lostAt, last);
                    }
                    return response;
                }
                last = attempt.failure();
                current = endpoints.failed(index);
                if (!idempotent && (attempt.sent() || !neverConnected(last))) {
                    if (cas == null) {
                        throw new WriteOutcomeUnknownException(method, path, endpoints.url(index), last);
                    }
                    maybeApplied = true; // a check-and-set write cannot apply twice: send it again
                    lostAt = endpoints.url(index);
                }
                if (!more) {
                    if (maybeApplied) {
                        throw new WriteOutcomeUnknownException(method, path, lostAt, last);
                    }
                    throw new ServerUnavailableException(method, path, attempts, last);
                }
            }
        }

        /** One try on one server: its answer, or the failure and whether the request had been sent. */
        private Attempt attempt(int index, String method, String path, String token, Map<String, ?> body) {
            Request request = http.newRequest(endpoints.url(index) + "/v1/" + path).method(method)
                    .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (tag != null) {
                request.tag(tag);
            }
            if (token != null) {
                request.headers(h -> h.put("X-Vault-Token", token));
            }
            if (body != null) {
                request.body(new StringRequestContent("application/json", write(body), StandardCharsets.UTF_8));
            }
            // Until the request's head is committed to the connection, the server cannot have seen it.
            AtomicBoolean sent = new AtomicBoolean();
            request.onRequestCommit(r -> sent.set(true));
            ContentResponse response;
            try {
                response = request.send();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (TimeoutException e) {
                return new Attempt(null, e, sent.get());
            } catch (ExecutionException e) {
                return new Attempt(null, e.getCause() == null ? e : e.getCause(), sent.get());
            }
            String text = response.getContentAsString();
            return new Attempt(new Response(response.getStatus(), text == null || text.isBlank() ? Map.of()
                    : read(text)), null, true);
        }

        /**
         * A check-and-set write was sent again after its first answer was lost, and the retry was refused because
         * the version moved on: version {@code cas + 1} holding what was written means the first attempt applied.
         */
        @SuppressWarnings("unchecked")
        private Response resolveCas(String path, String token, Map<String, ?> body, int cas, Response refusal,
                String lostAt, Throwable lost) {
            String kvPath = path.substring("secret/data/".length());
            Response written;
            try {
                written = send("GET", "secret/data/" + kvPath + "?version=" + (cas + 1), token, null);
            } catch (SecretHubClientException e) {
                throw new WriteOutcomeUnknownException("POST", path, lostAt, lost);
            }
            if (written.status() == 404) {
                return refusal; // nobody wrote cas + 1 (it was deleted meanwhile): the version moved past us
            }
            if (written.status() != 200 || written.data() == null) {
                throw new WriteOutcomeUnknownException("POST", path, lostAt, lost); // cannot tell (e.g. no read)
            }
            Map<String, Object> stored = (Map<String, Object>) written.data().get("data");
            Object wanted = body.get("data");
            if (stored != null && wanted instanceof Map<?, ?> mine && sameStrings(mine, stored)) {
                Map<String, Object> envelope = new LinkedHashMap<>(written.body());
                envelope.put("data", written.data().get("metadata"));
                return new Response(200, envelope);
            }
            return refusal; // another writer took version cas + 1: ours was never applied
        }

    /**
     * Whether {@code failure} shows that no connection to the server was made (refused, unresolvable), so a write
     * cannot have reached it. Jetty's commit event alone is not trusted for that: a connection reset right after
     * the server read the request was seen, now and then, before the client reported the request committed.
     */
    private static boolean neverConnected(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.nio.channels.UnresolvedAddressException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    /** One try's outcome: an answer, or a failure and whether the request was sent before it. */
    private record Attempt(Response response, Throwable failure, boolean sent) {
    }

    /** The {@code options.cas} of a KV v2 write, or null. */
    private static Integer casOf(String method, String path, Map<String, ?> body) {
        if (body == null || !path.startsWith("secret/data/") || !("POST".equals(method) || "PUT".equals(method))) {
            return null;
        }
        return body.get("options") instanceof Map<?, ?> options && options.get("cas") instanceof Number n
                ? n.intValue() : null;
    }

    private static boolean casMismatch(Response response) {
        return errors(response).stream().anyMatch(e -> e.contains("check-and-set"));
    }

    private static boolean sameStrings(Map<?, ?> a, Map<?, ?> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<?, ?> e : a.entrySet()) {
            if (!b.containsKey(String.valueOf(e.getKey()))
                    || !String.valueOf(e.getValue()).equals(String.valueOf(b.get(String.valueOf(e.getKey()))))) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static List<String> errors(Response response) {
        return response.body().get("errors") instanceof List<?> list ? (List<String>) list : List.of();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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

    /** Settings of a client: its servers, the CA it trusts, and how it fails over. */
    public static final class Builder {

        private List<String> addresses = List.of();
        private List<X509Certificate> trusted;
        private Duration penalty = Duration.ofSeconds(2);
        private Duration failoverBudget = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration agentIdleTimeout = DEFAULT_AGENT_IDLE_TIMEOUT;

        private Builder() {
        }

        /** The servers ({@code https://host:port}) of one cluster; at least one. */
        public Builder addresses(List<String> baseUrls) {
            List<String> urls = new ArrayList<>();
            for (String url : Objects.requireNonNull(baseUrls, "addresses")) {
                String trimmed = Objects.requireNonNull(url, "address").strip();
                if (!trimmed.startsWith("https://")) {
                    throw new IllegalArgumentException("a server address is https://host:port, not '" + url + "'");
                }
                urls.add(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            }
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one server address is needed");
            }
            this.addresses = List.copyOf(urls);
            return this;
        }

        /** Trusts the CA certificates in {@code caPem}. */
        public Builder trust(Path caPem) {
            try (Reader reader = Files.newBufferedReader(caPem, StandardCharsets.US_ASCII)) {
                this.trusted = PemFiles.certificates(reader);
            } catch (IOException | CertificateException e) {
                throw new IllegalArgumentException("cannot read the CA certificate " + caPem, e);
            }
            return this;
        }

        /** How long an address that failed is passed over while another one is not (default 2 s). */
        public Builder penalty(Duration penalty) {
            this.penalty = positive(penalty, "penalty");
            return this;
        }

        /**
         * How long one call keeps trying other servers (and, for reads, the same ones again after a 5xx) before it
         * gives up (default 10 s): long enough to ride through a database restart.
         */
        public Builder failoverBudget(Duration budget) {
            this.failoverBudget = positive(budget, "failoverBudget");
            return this;
        }

        /**
         * How long an agent's socket may carry nothing before the agent drops it and reconnects (default 75 s). The
         * server pings each socket once per heartbeat (30 s by default) and drops a silent one after two, so this
         * should exceed two of the server's heartbeats: Jetty's default (30 s, the heartbeat itself) raced the pings,
         * and an agent that read nothing for a while reconnected for no reason (287 of 10,000 agents within 60 s of
         * steady reads in one run).
         */
        public Builder agentIdleTimeout(Duration timeout) {
            this.agentIdleTimeout = positive(timeout, "agentIdleTimeout");
            return this;
        }

        /** How long one attempt waits for its answer (default 60 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public SecretHubClient build() {
            if (addresses.isEmpty()) {
                throw new IllegalStateException("no server address: call addresses(...)");
            }
            if (trusted == null) {
                throw new IllegalStateException("no CA to trust: call trust(caPem)");
            }
            return new SecretHubClient(this, trusted);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + d);
            }
            return d;
        }
    }

    @Override
    public String toString() {
        return "SecretHubClient" + endpoints.urls();
    }

}
