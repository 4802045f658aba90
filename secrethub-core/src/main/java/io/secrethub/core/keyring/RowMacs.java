package io.secrethub.core.keyring;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.crypto.Hkdf;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

/**
 * Authenticates stored rows: storage is untrusted, so every row whose content decides who may do what carries
 * an HMAC-SHA256 ({@code row_mac}) over its identity (primary key) and the columns that matter, under a key of
 * its kind. An edited column fails the MAC; a row's content copied onto another row fails it too, because the
 * identity is inside the MAC.
 *
 * <p>Fields are encoded unambiguously (type tag, length prefix; {@code null} distinct from empty), so no two
 * different rows share an encoding. Instants are taken at microseconds, PostgreSQL's precision.
 */
public final class RowMacs {

    private static final byte[] DOMAIN = "secrethub-row-v1".getBytes(StandardCharsets.UTF_8);

    private final Map<RowKind, KeyMaterial> keys;

    private RowMacs(Map<RowKind, KeyMaterial> keys) {
        this.keys = keys;
    }

    /** One key per kind from {@code systemKey} (which the caller still owns). */
    static RowMacs derive(KeyMaterial systemKey) {
        Map<RowKind, KeyMaterial> keys = new EnumMap<>(RowKind.class);
        for (RowKind kind : RowKind.values()) {
            keys.put(kind, Hkdf.derive(systemKey, kind.purpose()));
        }
        return new RowMacs(keys);
    }

    /** The MAC of a row of {@code kind}: its identity first, then every column that matters, in a fixed order. */
    public byte[] mac(RowKind kind, Object... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(DOMAIN);
        writeText(out, kind.name());
        for (Object field : fields) {
            write(out, field);
        }
        return Hmacs.hmac(keys.get(kind), out.toByteArray());
    }

    /**
     * Checks a stored MAC.
     *
     * @param identity names the row in the message (never secret material)
     * @throws IntegrityException if it is missing or does not match: the row was changed behind SecretHub's back
     */
    public void verify(RowKind kind, String identity, byte[] stored, Object... fields) {
        check(kind, identity, stored, stored == null ? null : mac(kind, fields));
    }

    /** {@link #verify} for a MAC already computed ({@code expected}). */
    public void check(RowKind kind, String identity, byte[] stored, byte[] expected) {
        if (stored == null) {
            throw new IntegrityException(kind.table() + " row " + identity + " carries no integrity MAC: refused");
        }
        if (!Hmacs.equal(stored, expected)) {
            throw new IntegrityException(kind.table() + " row " + identity
                    + " fails its integrity check: it was changed outside SecretHub and is refused");
        }
    }

    void destroy() {
        keys.values().forEach(KeyMaterial::destroy);
    }

    private static void write(ByteArrayOutputStream out, Object field) {
        if (field == null) {
            out.write(0);
        } else if (field instanceof String s) {
            out.write(1);
            writeText(out, s);
        } else if (field instanceof Long || field instanceof Integer) {
            out.write(2);
            out.writeBytes(ByteBuffer.allocate(8).putLong(((Number) field).longValue()).array());
        } else if (field instanceof Instant i) {
            out.write(3);
            Instant micros = i.truncatedTo(ChronoUnit.MICROS);
            out.writeBytes(ByteBuffer.allocate(12).putLong(micros.getEpochSecond()).putInt(micros.getNano()).array());
        } else if (field instanceof Duration d) {
            out.write(4);
            out.writeBytes(ByteBuffer.allocate(8).putLong(d.toSeconds()).array());
        } else if (field instanceof Boolean b) {
            out.write(b ? 5 : 6);
        } else if (field instanceof byte[] bytes) {
            out.write(7);
            writeBytes(out, bytes);
        } else if (field instanceof Collection<?> items) {
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(4).putInt(items.size()).array());
            items.forEach(item -> write(out, item));
        } else {
            throw new IllegalArgumentException("no MAC encoding for " + field.getClass().getName());
        }
    }

    private static void writeText(ByteArrayOutputStream out, String text) {
        writeBytes(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }

    @Override
    public String toString() {
        return "RowMacs[redacted]";
    }
}
