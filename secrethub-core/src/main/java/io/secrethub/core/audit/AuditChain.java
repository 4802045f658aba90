package io.secrethub.core.audit;

import io.secrethub.core.crypto.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.crypto.Mac;

/**
 * The chain rule: {@code hash(n) = HMAC-SHA256(chainKey, "secrethub-audit-v1" || hash(n-1) || canonical(n))}
 * with {@code hash(0)} = 32 zero bytes.
 *
 * <p>The canonical form is a fixed field order with length prefixes (and -1 for null), so no two
 * different records encode alike. It includes the sequence number, so a record moved to another
 * position no longer matches. Keying the chain (rather than a bare SHA-256) means someone with only
 * database access cannot recompute it after an edit.
 */
public final class AuditChain {

    /** The hash before the first record. */
    public static final byte[] GENESIS = new byte[32];

    private static final byte[] DOMAIN = "secrethub-audit-v1".getBytes(StandardCharsets.US_ASCII);

    private AuditChain() {
    }

    /** The hash of record {@code sequence} holding {@code entry}, following {@code previousHash}. */
    public static byte[] link(KeyMaterial chainKey, byte[] previousHash, long sequence, AuditEntry entry) {
        Mac mac = chainKey.mac();
        mac.update(DOMAIN);
        mac.update(previousHash);
        mac.update(canonical(sequence, entry));
        return mac.doFinal();
    }

    static byte[] canonical(long sequence, AuditEntry e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(sequence);
            out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, e.time()));
            text(out, e.node());
            text(out, e.requestId().toString());
            text(out, e.operation());
            text(out, e.path());
            text(out, e.accessorHmac());
            text(out, e.clientAddress());
            text(out, e.outcome().name());
            text(out, e.error());
            text(out, e.detail());
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
