package io.secrethub.server.client;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Gives each agent's connections a TLS context of their own: the agent's key and certificate, and its own
 * session cache. A shared cache would let one agent's connection resume another agent's TLS session, and
 * so be authenticated as that agent; a cache per agent resumes only the agent's own sessions.
 */
final class AgentSslContextFactory extends SslContextFactory.Client {

    private final TrustManager[] trust;
    private final Map<String, SSLContext> agents = new ConcurrentHashMap<>();

    AgentSslContextFactory(SSLContext anonymous, TrustManager[] trust) {
        this.trust = trust.clone();
        setSslContext(anonymous);
        setIncludeProtocols("TLSv1.3", "TLSv1.2");
    }

    /**
     * The agent's key and chain go to the context through {@link AgentKeyManager}, not a PKCS12 key store: putting a
     * key into one encrypts it (PBKDF2, 10,000 rounds) and the key manager factory decrypts it again, which cost
     * more CPU per agent connection than its TLS handshake.
     */
    void addAgent(String alias, PrivateKey key, X509Certificate[] chain) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new AgentKeyManager(key, jdkCertificates(chain))}, trust, null);
            agents.put(alias, context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for an agent", e);
        }
    }

    /** The JDK's own certificate objects: its key managers match key types against their key algorithm names. */
    private static X509Certificate[] jdkCertificates(X509Certificate[] chain) throws GeneralSecurityException {
        java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509",
                "SUN");
        X509Certificate[] converted = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            converted[i] = (X509Certificate) factory.generateCertificate(
                    new java.io.ByteArrayInputStream(chain[i].getEncoded()));
        }
        return converted;
    }

    void removeAgent(String alias) {
        agents.remove(alias);
    }

    @Override
    public SSLEngine newSSLEngine(String host, int port) {
        String alias = AgentTaggingSslFactory.openingFor();
        SSLContext context = alias == null ? null : agents.get(alias);
        if (context == null) {
            return super.newSSLEngine(host, port);
        }
        SSLEngine engine = context.createSSLEngine(host, port);
        customize(engine);
        return engine;
    }
}
