-- Leases: everything SecretHub hands out with a lifetime (every non-root token, every dynamic
-- database credential). Leases are durable; the expiration manager of each instance claims due ones
-- straight from leases_due_idx in small batches (FOR UPDATE SKIP LOCKED), so nothing is loaded into
-- memory at start-up and instances sharing the database never claim the same lease at once.
CREATE TABLE leases (
    -- <path that created it>/<random>, e.g. database/creds/readonly/… or auth/approle/login/…; never a
    -- token or accessor. COLLATE "C" turns revoke-prefix into a range scan of the primary key.
    lease_id        text        COLLATE "C" PRIMARY KEY,
    kind            text        NOT NULL,                    -- which handler revokes it: token, database
    issued_at       timestamptz NOT NULL,
    ttl_seconds     bigint      NOT NULL CHECK (ttl_seconds > 0), -- as issued; renewals without an increment use it
    expire_at       timestamptz NOT NULL,
    max_expire_at   timestamptz,                             -- renewals may not pass this; NULL: no limit
    renewable       boolean     NOT NULL,
    state           text        NOT NULL CHECK (state IN ('active', 'revoking', 'revoked', 'irrevocable')),
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- revocation attempts so far
    -- When the expiration manager should next act: the expiry while active; while revoking, the retry
    -- time, or the end of the current claim (a claim that outlives its instance is taken over then).
    -- One column keeps "what is due" a single index range.
    next_attempt_at timestamptz,
    last_error      text,                                    -- sanitized (step and SQLSTATE), never credentials
    -- What revocation needs (e.g. the PostgreSQL user name), encrypted through the barrier and bound to
    -- lease_id. NULL for tokens: a token row names its lease (tokens.lease_id), so nothing is needed.
    payload         bytea,
    revoked_at      timestamptz,
    CONSTRAINT leases_pending_have_next_attempt CHECK ((state IN ('active', 'revoking')) = (next_attempt_at IS NOT NULL))
);

-- The only index the expiration manager reads: due leases, oldest first.
CREATE INDEX leases_due_idx ON leases (next_attempt_at) WHERE state IN ('active', 'revoking');
-- Irrevocable leases are reported; revoked ones are purged after a retention period.
CREATE INDEX leases_irrevocable_idx ON leases (lease_id) WHERE state = 'irrevocable';
CREATE INDEX leases_revoked_idx ON leases (revoked_at) WHERE state = 'revoked';

-- Every token with a TTL has a lease: revoking the lease deletes the token, revoking the token marks
-- its lease revoked. NULL for the root token (no expiry) and tokens created before leases existed.
ALTER TABLE tokens ADD COLUMN lease_id text COLLATE "C";
CREATE UNIQUE INDEX tokens_lease_id_idx ON tokens (lease_id) WHERE lease_id IS NOT NULL;
