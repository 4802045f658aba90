package io.secrethub.core.policy;

import java.util.Locale;
import java.util.Optional;

/** What a policy rule allows on a path; the names are Vault's. */
public enum Capability {
    /** Write data that does not exist yet. */
    CREATE,
    /** Read data. */
    READ,
    /** Change existing data. */
    UPDATE,
    /** Delete data. */
    DELETE,
    /** List the keys under a path. */
    LIST,
    /** Refuse every operation; overrides all other capabilities on the same rule. */
    DENY,
    /** Access root-protected paths (in addition to the operation's own capability). */
    SUDO;

    private final String vaultName = name().toLowerCase(Locale.ROOT);

    /** The lowercase name used in Vault policy documents, e.g. {@code "read"}. */
    public String vaultName() {
        return vaultName;
    }

    /** The capability with this Vault name (lowercase, exact), if any. */
    public static Optional<Capability> fromVaultName(String name) {
        for (Capability capability : values()) {
            if (capability.vaultName.equals(name)) {
                return Optional.of(capability);
            }
        }
        return Optional.empty();
    }
}
