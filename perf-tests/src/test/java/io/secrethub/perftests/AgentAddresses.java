package io.secrethub.perftests;

/**
 * Client addresses of the simulated agents, inside the CIDR their AppRole role is bound to, so every login also
 * pays for the bound-CIDR check a real deployment would configure.
 */
final class AgentAddresses {

    static final String CIDR = "10.0.0.0/8";

    private AgentAddresses() {
    }

    /** {@code 10.x.y.z} for agent {@code id}: distinct for up to 16 million agents. */
    static String of(int id) {
        return "10." + ((id >> 16) & 0xff) + "." + ((id >> 8) & 0xff) + "." + (id & 0xff);
    }
}
