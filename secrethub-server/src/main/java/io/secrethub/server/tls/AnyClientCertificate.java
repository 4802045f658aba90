package io.secrethub.server.tls;

import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.CRL;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS side of client certificates: it asks for one (without naming any CA, so a client offers
 * whatever it has) and lets the handshake complete with any certificate whose key the client proves it
 * holds. Trust is decided per request: the agent endpoints accept only certificates SecretHub's internal CA
 * issued and has not revoked (checked through core on every request); the other endpoints ignore the
 * certificate, as the API promises. Refusing foreign certificates in the handshake would break the second
 * promise, and could not see a revocation made after the connection was opened.
 */
public final class AnyClientCertificate extends X509ExtendedTrustManager {

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    /** Jetty's server TLS factory with this trust manager in place of the JDK's (which would advertise cacerts). */
    public static SslContextFactory.Server serverFactory() {
        return new SslContextFactory.Server() {
            @Override
            protected TrustManager[] getTrustManagers(KeyStore trustStore, Collection<? extends CRL> crls) {
                return new TrustManager[] {new AnyClientCertificate()};
            }
        };
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        // decided per request by the agent endpoints
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // decided per request by the agent endpoints
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // decided per request by the agent endpoints
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("server side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("server side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("server side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
