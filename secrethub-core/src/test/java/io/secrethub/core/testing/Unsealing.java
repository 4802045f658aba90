package io.secrethub.core.testing;

import io.secrethub.core.InitResult;
import io.secrethub.core.SecretHub;
import java.util.List;

/** The one place tests initialize and unseal: 3 shares, threshold 2, unsealed with shares 1 and 3. */
public final class Unsealing {

    /** Shares made at initialization. */
    public static final int SHARES = 3;
    /** Shares that unseal. */
    public static final int THRESHOLD = 2;

    private Unsealing() {
    }

    /** Initializes with 3 shares, threshold 2, and unseals with shares 1 and 3. */
    public static InitResult initialize(SecretHub hub) {
        InitResult init = hub.sys().initialize(SHARES, THRESHOLD);
        unseal(hub, init.shares());
        return init;
    }

    /** Unseals with the first threshold-many shares (1 and 3 for 3/2, to exercise a gap); returns {@code hub}. */
    public static SecretHub unseal(SecretHub hub, List<String> shares) {
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
        return hub;
    }
}
