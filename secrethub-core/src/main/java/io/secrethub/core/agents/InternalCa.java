package io.secrethub.core.agents;

import io.secrethub.core.CaKeyType;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.keyring.SystemEntries;
import io.secrethub.core.pki.CertificateAuthority;
import io.secrethub.core.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Optional;

/**
 * The hub's CA, loaded from (or, the first time, created into) {@code system_entries} with its
 * private key encrypted through the barrier. Created lazily on first use after unseal, so a hub
 * initialized before this feature existed gets one too; an advisory lock makes concurrent instances
 * agree on a single CA. Forgotten on seal.
 */
final class InternalCa {

    static final String KEY_ENTRY = "pki/ca-private-key";
    static final String CERT_ENTRY = "pki/ca-certificate";
    /** Arbitrary constant naming the "create the CA" lock. */
    private static final long LOCK_ID = 0x5345_4352_4341_0001L;

    private final Database database;
    private final Clock clock;
    private final CaKeyType keyType;
    private volatile CertificateAuthority ca;

    InternalCa(Database database, Clock clock, CaKeyType keyType) {
        this.database = database;
        this.clock = clock;
        this.keyType = keyType;
    }

    CertificateAuthority get(Barrier barrier) {
        CertificateAuthority current = ca;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (ca == null) {
                ca = database.transaction("load or create the internal CA", c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        ps.setLong(1, LOCK_ID);
                        ps.execute();
                    }
                    Optional<byte[]> key = SystemEntries.get(c, barrier, KEY_ENTRY);
                    if (key.isPresent()) {
                        byte[] pkcs8 = key.get();
                        try {
                            String pem = new String(SystemEntries.require(c, barrier, CERT_ENTRY),
                                    StandardCharsets.US_ASCII);
                            return CertificateAuthority.load(pkcs8, pem);
                        } finally {
                            Arrays.fill(pkcs8, (byte) 0);
                        }
                    }
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
                    CertificateAuthority created = CertificateAuthority.create(keyType,
                            CertificateAuthority.DEFAULT_CA_NAME,
                            CertificateAuthority.DEFAULT_CA_VALIDITY, now);
                    byte[] pkcs8 = created.privateKeyPkcs8();
                    try {
                        SystemEntries.put(c, barrier, KEY_ENTRY, pkcs8, now);
                    } finally {
                        Arrays.fill(pkcs8, (byte) 0);
                    }
                    SystemEntries.put(c, barrier, CERT_ENTRY,
                            created.certificatePem().getBytes(StandardCharsets.US_ASCII), now);
                    return created;
                });
            }
            return ca;
        }
    }

    /** Drops the CA (and with it the only reference to its private key) on seal. */
    void forget() {
        ca = null;
    }
}
