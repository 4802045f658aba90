-- Named ACL policies in Vault's JSON form. Not secret; the built-in "default" is used unless a
-- row replaces it, and "root" is never stored.
CREATE TABLE policies (
    name       text        PRIMARY KEY,
    document   text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- AppRole roles. hmac_key is the per-role secret_id HMAC key, encrypted through the barrier (bound
-- to the role name); it never changes once created, so issued secret_ids stay valid across updates.
CREATE TABLE approle_roles (
    name                  text        PRIMARY KEY,
    role_id               uuid        NOT NULL UNIQUE,
    hmac_key              bytea       NOT NULL,
    policies              text[]      NOT NULL,
    token_ttl_seconds     bigint      NOT NULL CHECK (token_ttl_seconds > 0),
    token_max_ttl_seconds bigint      NOT NULL CHECK (token_max_ttl_seconds >= token_ttl_seconds),
    secret_id_ttl_seconds bigint      CHECK (secret_id_ttl_seconds > 0), -- NULL: secret_ids do not expire
    secret_id_num_uses    integer     NOT NULL CHECK (secret_id_num_uses >= 0), -- 0: unlimited
    bound_cidrs           text[]      NOT NULL,                          -- empty: any address
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

-- secret_ids exist here only as HMAC-SHA256 under their role's key. uses_left NULL = unlimited;
-- a limited login decrements it with a guarded UPDATE, so N uses allow exactly N logins.
CREATE TABLE approle_secret_ids (
    secret_hash bytea       PRIMARY KEY,
    role_name   text        NOT NULL REFERENCES approle_roles (name) ON DELETE CASCADE,
    accessor    text        NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    uses_left   integer     CHECK (uses_left >= 0)
);
CREATE INDEX approle_secret_ids_role_idx ON approle_secret_ids (role_name);
CREATE INDEX approle_secret_ids_expires_idx ON approle_secret_ids (expires_at) WHERE expires_at IS NOT NULL;

-- Registered agents. Re-registration is allowed only once revoked_at is set.
CREATE TABLE agents (
    agent_id      text        PRIMARY KEY,
    metadata      jsonb       NOT NULL,
    registered_at timestamptz NOT NULL,
    revoked_at    timestamptz
);

-- Every certificate the internal CA issued. Verification looks the serial up here: a serial that is
-- missing (not issued by this database) counts as revoked.
CREATE TABLE agent_certificates (
    serial     numeric(50) PRIMARY KEY,
    agent_id   text        NOT NULL REFERENCES agents (agent_id),
    issued_at  timestamptz NOT NULL,
    not_after  timestamptz NOT NULL,
    revoked_at timestamptz
);
CREATE INDEX agent_certificates_agent_idx ON agent_certificates (agent_id);
