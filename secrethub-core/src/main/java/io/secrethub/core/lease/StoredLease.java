package io.secrethub.core.lease;

import io.secrethub.core.Lease;
import io.secrethub.core.keyring.RowMacs;

/** A lease row: its public view plus what only the core needs (its handler, its encrypted payload). */
public record StoredLease(Lease lease, String kind, byte[] payload, LeaseStore.Authenticated authenticated) {

    /**
     * This lease, once its row MAC verified.
     *
     * @throws io.secrethub.core.IntegrityException if the row was changed behind SecretHub's back
     */
    public StoredLease verified(RowMacs macs) {
        authenticated.verify(macs, lease.id(), kind, payload);
        return this;
    }

    /** The accessor of the token that obtained the lease, or {@code null} (issued before leases recorded it). */
    public String ownerAccessor() {
        return authenticated.ownerAccessor();
    }
}
