package io.secrethub.server.client;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client side of one agent's mutual TLS: always the agent's one key and certificate chain, offered when the
 * server accepts its key type. The JDK's key managers do the same from a key store, at the cost of encrypting and
 * decrypting the key in it; this one holds the key as given (it lives in the agent's memory either way).
 */
final class AgentKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "agent";

    private final PrivateKey key;
    private final X509Certificate[] chain;
    /** The TLS key type of the key: "EC" or "RSA" (a BouncyCastle key says "ECDSA"). */
    private final String keyType;

    AgentKeyManager(PrivateKey key, X509Certificate[] chain) {
        if (chain.length == 0) {
            throw new IllegalArgumentException("an agent needs its certificate");
        }
        this.key = key;
        this.chain = chain.clone();
        String algorithm = key.getAlgorithm().toUpperCase(Locale.ROOT);
        this.keyType = algorithm.equals("ECDSA") ? "EC" : algorithm;
    }

    private String aliasFor(String[] keyTypes) {
        return keyTypes != null && Arrays.asList(keyTypes).contains(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return aliasFor(keyTypes);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyTypes);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return this.keyType.equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }

    /** Never a server. */
    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    /** Never a server. */
    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
