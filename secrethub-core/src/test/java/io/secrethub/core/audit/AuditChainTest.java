package io.secrethub.core.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.crypto.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The chain rule must not change under the records already written: every stored chain is verified with it. The
 * canonical encoding is checked against the {@code DataOutputStream} form it was first written in, and the hash
 * against HMAC-SHA256 computed here directly from the JDK, with a fresh key per record and with one Mac reused
 * across a batch as the writer does.
 */
class AuditChainTest {

    private static final byte[] KEY = new byte[32];

    static {
        Arrays.fill(KEY, (byte) 7);
    }

    private static final List<AuditEntry> ENTRIES = List.of(
            new AuditEntry(Instant.parse("2026-12-04T12:00:00.123456789Z"), "node-a", UUID.randomUUID(),
                    "secret/read", "secret/data/app/db", "a1b2c3", "10.0.0.1", AuditOutcome.SUCCESS, null,
                    "version=3"),
            new AuditEntry(Instant.EPOCH, "node-b", UUID.randomUUID(), "auth/approle/login", null, null, null,
                    AuditOutcome.DENIED, "PermissionDeniedException", null),
            new AuditEntry(Instant.parse("1999-01-01T00:00:00Z"), "nœud-ü", UUID.randomUUID(), "sys/seal",
                    "pfad/ümlaut/日本", "", "::1", AuditOutcome.ERROR, "", "détail"));

    @Test
    void theCanonicalFormIsTheOneTheChainWasFirstWrittenIn() throws IOException {
        long sequence = 1;
        for (AuditEntry e : ENTRIES) {
            assertArrayEquals(reference(sequence, e), AuditChain.canonical(sequence, e), e.toString());
            sequence += 1_000_003;
        }
    }

    @Test
    void aMacReusedAcrossABatchHashesAsAFreshOnePerRecord() throws Exception {
        KeyMaterial key = KeyMaterial.hmacSha256(KEY.clone());
        Mac reused = key.mac();
        byte[] previousFresh = AuditChain.GENESIS;
        byte[] previousReused = AuditChain.GENESIS;
        long sequence = 41;
        for (AuditEntry e : ENTRIES) {
            sequence++;
            byte[] expected = jdkHmac(previousFresh, sequence, e);
            byte[] fresh = AuditChain.link(key, previousFresh, sequence, e);
            byte[] batched = AuditChain.link(reused, previousReused, sequence, e);
            assertArrayEquals(expected, fresh);
            assertArrayEquals(expected, batched);
            previousFresh = fresh;
            previousReused = batched;
        }
        // a different key gives a different chain: the reused Mac really is keyed
        byte[] other = AuditChain.link(KeyMaterial.hmacSha256(new byte[32]), AuditChain.GENESIS, 1, ENTRIES.get(0));
        assertFalse(Arrays.equals(other, AuditChain.link(key, AuditChain.GENESIS, 1, ENTRIES.get(0))));
    }

    private static byte[] jdkHmac(byte[] previous, long sequence, AuditEntry e) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        mac.update("secrethub-audit-v1".getBytes(StandardCharsets.US_ASCII));
        mac.update(previous);
        mac.update(reference(sequence, e));
        return mac.doFinal();
    }

    /** The canonical form as the first version of the chain wrote it. */
    private static byte[] reference(long sequence, AuditEntry e) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(sequence);
            out.writeLong(ChronoUnit.MICROS.between(Instant.EPOCH, e.time()));
            for (String text : new String[] {e.node(), e.requestId().toString(), e.operation(), e.path(),
                e.accessorHmac(), e.clientAddress(), e.outcome().name(), e.error(), e.detail()}) {
                if (text == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        }
        return bytes.toByteArray();
    }
}
