package io.secrethub.perftests;

import io.secrethub.server.ListenAddress;
import io.secrethub.server.SecretHubServer;
import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.ServerIdentity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the network itself costs here, as ceilings to read the API's figures against: a server with exactly the API
 * server's TLS, HTTP and thread set-up that answers every request with a fixed 200-byte JSON body (no hub behind
 * it), and full mutual-TLS handshakes with an agent's P-256 key and certificate from the internal CA.
 */
final class NetworkBaseline implements AutoCloseable {

    /** The fixed answer: the shape of {@code sys/health}, padded to 200 bytes. */
    static final String BODY = pad("{\"initialized\":true,\"sealed\":false,\"standby\":false,\"version\":\"baseline\","
            + "\"padding\":\"", "\"}", 200);

    private static final char[] STORE_PASSWORD = "baseline".toCharArray();

    private final SecretHubServer server;
    private final Path caFile;

    private NetworkBaseline(SecretHubServer server, Path caFile) {
        this.server = server;
        this.caFile = caFile;
    }

    /** Starts the fixed-answer server on a free loopback port with its own development TLS identity. */
    static NetworkBaseline start() throws IOException {
        ServerIdentity identity = DevTls.create("127.0.0.1", Files.createTempDirectory("secrethub-perf-baseline-"));
        SecretHubServer server = SecretHubServer.builder().baseline(new FixedAnswer())
                .address(new ListenAddress("127.0.0.1", 0)).identity(identity).build().start();
        return new NetworkBaseline(server, identity.caFile().orElseThrow());
    }

    String url() {
        return server.url();
    }

    Path caFile() {
        return caFile;
    }

    /**
     * One full handshake, as a newly started agent makes it: a fresh TLS context (so nothing is resumed) that presents
     * the agent's key and certificate to {@code port} on loopback and trusts the CA in {@code caFile}.
     */
    static void fullHandshake(int port, KeyManager[] agentKey, TrustManager[] trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(agentKey, trust, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.startHandshake();
            if (socket.getSession().getPeerCertificates().length == 0) {
                throw new IllegalStateException("the handshake completed without a server certificate");
            }
        }
    }

    /** Key managers that present {@code keyPair} with the PEM certificate chain {@code certificatePem}. */
    static KeyManager[] agentKey(KeyPair keyPair, String certificatePem) throws GeneralSecurityException, IOException {
        Certificate[] chain =
                certificates(new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("agent", keyPair.getPrivate(), STORE_PASSWORD, chain);
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, STORE_PASSWORD);
        return factory.getKeyManagers();
    }

    /** Trust managers that trust exactly the certificates in {@code caFile}. */
    static TrustManager[] trusting(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            Certificate[] cas = certificates(in);
            for (int i = 0; i < cas.length; i++) {
                store.setCertificateEntry("ca-" + i, cas[i]);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    private static Certificate[] certificates(InputStream pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509").generateCertificates(pem).toArray(new Certificate[0]);
    }

    private static String pad(String head, String tail, int length) {
        return head + "x".repeat(length - head.length() - tail.length()) + tail;
    }

    @Override
    public void close() {
        server.close();
    }

    /** Answers every request with {@link #BODY}, and does nothing else. */
    private static final class FixedAnswer extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            Content.Sink.write(response, true, BODY, callback);
            return true;
        }
    }
}
