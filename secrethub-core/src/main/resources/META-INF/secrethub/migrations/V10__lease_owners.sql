-- Leases record the token that obtained them, as Vault's do: revoking that token (or its expiry) revokes them,
-- and renewing or revoking one by id needs to be its owner or sudo on the lease's path. The accessor names a
-- token without being able to use it (tokens.accessor and parent_accessor hold the same values). For a token's
-- own lease it is that token's accessor. Covered by the lease row's MAC (RowMacs), so it cannot be moved to
-- another token behind SecretHub's back. NULL for leases issued before this migration: only sudo renews or
-- revokes them by id, and no token revocation reaches them (they still expire).
ALTER TABLE leases ADD COLUMN owner_accessor text;

-- Revoking a token queues the pending leases it owns: one index range per revocation.
CREATE INDEX leases_owner_idx ON leases (owner_accessor) WHERE owner_accessor IS NOT NULL;
