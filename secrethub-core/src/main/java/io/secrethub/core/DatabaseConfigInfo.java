package io.secrethub.core;

import java.util.List;

/**
 * A stored connection config as {@link DatabaseSecrets#readConfig} returns it: everything but the
 * password.
 */
public record DatabaseConfigInfo(String name, String connectionUrl, String username, List<String> allowedRoles,
        int maxOpenConnections) {

    public DatabaseConfigInfo {
        allowedRoles = List.copyOf(allowedRoles);
    }
}
