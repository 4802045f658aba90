package io.secrethub.server.tls;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The server's TLS key and certificate chain, as an in-memory key store for Jetty, and (in development
 * mode) where the CA that signed it was written.
 */
public final class ServerIdentity {

    /** The in-memory key store's password: it never leaves the process, so it protects nothing. */
    static final char[] STORE_PASSWORD = "secrethub".toCharArray();
    static final String ALIAS = "server";

    private final KeyStore keyStore;
    private final X509Certificate[] chain;
    private final Path caFile;

    ServerIdentity(PrivateKey key, X509Certificate[] chain, Path caFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, key, STORE_PASSWORD, chain);
            this.keyStore = store;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot hold the server key in a key store", e);
        }
        this.chain = chain.clone();
        this.caFile = caFile;
    }

    public KeyStore keyStore() {
        return keyStore;
    }

    public String keyStorePassword() {
        return new String(STORE_PASSWORD);
    }

    /** The server certificate followed by its issuers. */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /** Development mode: the {@code ca.pem} written for clients to trust. */
    public Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }
}
