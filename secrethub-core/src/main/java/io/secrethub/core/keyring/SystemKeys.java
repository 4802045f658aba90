package io.secrethub.core.keyring;

import io.secrethub.core.crypto.Hkdf;
import io.secrethub.core.crypto.KeyMaterial;

/**
 * Keys derived once per unseal from the stored system key (HKDF-SHA256, one purpose each), so that
 * hot paths never derive keys.
 *
 * @param tokenHash hashes tokens for storage and lookup
 * @param auditAccessor HMACs token accessors in audit records
 * @param auditChain keys the audit log's hash chain
 * @param rows authenticate stored rows (one key per {@link RowKind})
 */
public record SystemKeys(KeyMaterial tokenHash, KeyMaterial auditAccessor, KeyMaterial auditChain, RowMacs rows) {

    /** Name of the system entry holding the random key these are derived from. */
    public static final String ENTRY = "core/system-key";

    /** Derives every purpose key from {@code systemKey}, then destroys it. */
    public static SystemKeys derive(KeyMaterial systemKey) {
        try {
            return new SystemKeys(
                    Hkdf.derive(systemKey, "secrethub token hash v1"),
                    Hkdf.derive(systemKey, "secrethub audit accessor hmac v1"),
                    Hkdf.derive(systemKey, "secrethub audit chain v1"),
                    RowMacs.derive(systemKey));
        } finally {
            systemKey.destroy();
        }
    }

    public void destroy() {
        tokenHash.destroy();
        auditAccessor.destroy();
        auditChain.destroy();
        rows.destroy();
    }

    @Override
    public String toString() {
        return "SystemKeys[redacted]";
    }
}
