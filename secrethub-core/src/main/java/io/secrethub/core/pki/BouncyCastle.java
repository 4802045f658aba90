package io.secrethub.core.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider instance this package uses.
 *
 * <p>Constructing a {@link BouncyCastleProvider} registers hundreds of algorithms and costs tens of
 * milliseconds, so it is built once. It is passed to the JCA builders explicitly rather than
 * registered with {@link java.security.Security}, so the process-wide provider list is untouched.
 */
final class BouncyCastle {

    static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
