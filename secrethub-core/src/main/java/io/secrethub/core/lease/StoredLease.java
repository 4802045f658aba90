package io.secrethub.core.lease;

import io.secrethub.core.Lease;

/** A lease row: its public view plus what only the core needs (its handler, its encrypted payload). */
public record StoredLease(Lease lease, String kind, byte[] payload) {
}
