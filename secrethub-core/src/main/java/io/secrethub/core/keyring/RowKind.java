package io.secrethub.core.keyring;

/**
 * The kinds of stored rows whose content decides who may do what, each authenticated with a key of its own
 * (HKDF from the system key, one purpose per kind), so a MAC of one kind never verifies as another.
 */
public enum RowKind {
    TOKEN("tokens"),
    POLICY("policies"),
    APPROLE_ROLE("approle_roles"),
    DATABASE_CONFIG("database_configs"),
    DATABASE_ROLE("database_roles"),
    AGENT("agents"),
    AGENT_CERTIFICATE("agent_certificates"),
    LEASE("leases");

    private final String table;

    RowKind(String table) {
        this.table = table;
    }

    /** The table whose rows carry this kind's MAC in {@code row_mac}. */
    public String table() {
        return table;
    }

    String purpose() {
        return "secrethub row integrity v1 " + table;
    }
}
