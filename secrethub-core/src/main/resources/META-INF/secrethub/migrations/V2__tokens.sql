-- Tokens are stored only as an HMAC-SHA256 under a key derived from the keyring: the database
-- never holds a usable token. The accessor identifies a token (for revocation, audit) without
-- being able to authenticate.
CREATE TABLE tokens (
    token_hash      bytea       PRIMARY KEY,
    accessor        text        NOT NULL UNIQUE,
    parent_accessor text,                                -- the token that created this one, if any
    policies        text[]      NOT NULL,
    display_name    text        NOT NULL,
    created_at      timestamptz NOT NULL,
    ttl_seconds     bigint      CHECK (ttl_seconds > 0), -- NULL: no expiry (root)
    expires_at      timestamptz,                         -- NULL: no expiry (root)
    max_expires_at  timestamptz                          -- renewals may not pass this
);

-- Revoking a token revokes its descendants: walk them by parent.
CREATE INDEX tokens_parent_accessor_idx ON tokens (parent_accessor) WHERE parent_accessor IS NOT NULL;
-- The sweeper deletes expired tokens without scanning the table.
CREATE INDEX tokens_expires_at_idx ON tokens (expires_at) WHERE expires_at IS NOT NULL;
