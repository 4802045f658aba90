package io.secrethub.core;

import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/** Shortcuts for tests: build, initialize and unseal instances. */
final class TestHubs {

    private TestHubs() {
    }

    static SecretHub hub(DataSource ds) {
        return SecretHub.builder().dataSource(ds).build();
    }

    /** Logs in through a new AppRole role with these token TTLs (a fresh role per call). */
    static LoginResult login(SecretHub hub, String rootToken, Duration ttl, Duration maxTtl) {
        String role = "r" + System.nanoTime();
        hub.auth().appRole().writeRole(rootToken, role,
                AppRoleSettings.builder().tokenTtl(ttl).tokenMaxTtl(maxTtl).build());
        return hub.auth().appRole().login(hub.auth().appRole().roleId(rootToken, role),
                hub.auth().appRole().generateSecretId(rootToken, role).secretId(), null);
    }

    /** Initializes with 3 shares, threshold 2, and unseals with shares 1 and 3. */
    static InitResult initAndUnseal(SecretHub hub) {
        InitResult init = hub.sys().initialize(3, 2);
        unseal(hub, init);
        return init;
    }

    /** Unseals with the first threshold-many shares (1 and 3 for 3/2, to exercise a gap). */
    static void unseal(SecretHub hub, InitResult init) {
        List<String> shares = init.shares();
        int threshold = hub.sys().status().threshold();
        if (shares.size() == 3 && threshold == 2) {
            hub.sys().unseal(shares.get(0));
            hub.sys().unseal(shares.get(2));
        } else {
            for (int i = 0; i < threshold; i++) {
                hub.sys().unseal(shares.get(i));
            }
        }
        if (hub.sys().status().sealed()) {
            throw new IllegalStateException("still sealed");
        }
    }
}
