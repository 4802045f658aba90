package io.secrethub.core.keyring;

/**
 * Every key an unsealed instance holds: the barrier (root key + keyring) and the derived system keys.
 * Sealing destroys them all.
 */
public record CoreKeys(Barrier barrier, SystemKeys system) {

    public void destroy() {
        barrier.destroy();
        system.destroy();
    }

    @Override
    public String toString() {
        return "CoreKeys[redacted]";
    }
}
