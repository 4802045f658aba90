package io.secrethub.core.audit;

import io.secrethub.core.crypto.KeyMaterial;
import java.nio.ByteBuffer;
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
        return link(chainKey.mac(), previousHash, sequence, entry);
    }

    /**
     * The same with a {@code Mac} already keyed with the chain key, so that a batch of records pays for one
     * {@code Mac.getInstance} and key set-up instead of one per record; {@code doFinal} leaves it keyed and reset
     * for the next record. The caller keeps it no longer than one batch (the writer) or one walk (the verifier).
     */
    static byte[] link(Mac mac, byte[] previousHash, long sequence, AuditEntry entry) {
        mac.update(DOMAIN);
        mac.update(previousHash);
        mac.update(canonical(sequence, entry));
        return mac.doFinal();
    }

    /**
     * The canonical bytes: the sequence and the time in microseconds as big-endian longs, then each text field as
     * a big-endian int length (-1 for null) and its UTF-8 bytes. Encoded into one array of the exact size (the
     * audit writer's thread hashes every record of the chain in turn, so this is on its path once per record).
     */
    static byte[] canonical(long sequence, AuditEntry e) {
        byte[][] texts = {utf8(e.node()), utf8(e.requestId().toString()), utf8(e.operation()), utf8(e.path()),
            utf8(e.accessorHmac()), utf8(e.clientAddress()), utf8(e.outcome().name()), utf8(e.error()),
            utf8(e.detail())};
        int size = 2 * Long.BYTES + texts.length * Integer.BYTES;
        for (byte[] text : texts) {
            size += text == null ? 0 : text.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size); // big-endian, as DataOutputStream wrote it before
        out.putLong(sequence);
        out.putLong(ChronoUnit.MICROS.between(Instant.EPOCH, e.time()));
        for (byte[] text : texts) {
            if (text == null) {
                out.putInt(-1);
            } else {
                out.putInt(text.length).put(text);
            }
        }
        return out.array();
    }

    private static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
