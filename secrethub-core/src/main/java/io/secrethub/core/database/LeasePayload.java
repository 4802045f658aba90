package io.secrethub.core.database;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.lease.LeasePayloads;
import java.util.Arrays;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.jr.ob.JSON;

/**
 * What revoking a database lease needs: the config to connect through, the role whose statements to
 * run, and the user name. Stored encrypted (the user name tells an attacker which account to go for).
 */
record LeasePayload(String config, String role, String username) {

    byte[] encrypt(Barrier barrier, String leaseId) {
        byte[] json = JSON.std.asBytes(Map.of("config", config, "role", role, "username", username));
        try {
            return LeasePayloads.encrypt(barrier, leaseId, json);
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }

    static LeasePayload decrypt(Barrier barrier, String leaseId, byte[] ciphertext) {
        if (ciphertext == null) {
            throw new IntegrityException("database lease " + leaseId + " has no revocation payload");
        }
        byte[] json = LeasePayloads.decrypt(barrier, leaseId, ciphertext);
        try {
            Map<String, Object> map = JSON.std.mapFrom(json);
            if (!(map.get("config") instanceof String config) || !(map.get("role") instanceof String role)
                    || !(map.get("username") instanceof String username)) {
                throw new IntegrityException("database lease " + leaseId + " has a malformed revocation payload");
            }
            return new LeasePayload(config, role, Credentials.requireValidUsername(username));
        } catch (JacksonException e) {
            throw new IntegrityException("database lease " + leaseId + " has a malformed revocation payload");
        } finally {
            Arrays.fill(json, (byte) 0);
        }
    }
}
