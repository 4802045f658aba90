-- KV v2 secrets: one metadata row per path, one row per stored version.

-- COLLATE "C" makes the unique index on path usable for prefix range scans (list) and keeps
-- ordering independent of the server's locale.
CREATE TABLE secret_metadata (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path            text        COLLATE "C" NOT NULL,
    current_version integer     NOT NULL DEFAULT 0 CHECK (current_version >= 0),
    oldest_version  integer     NOT NULL DEFAULT 0 CHECK (oldest_version >= 0),
    max_versions    integer     NOT NULL DEFAULT 0 CHECK (max_versions >= 0),   -- 0: instance default
    cas_required    boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT secret_metadata_path_key UNIQUE (path)
);

-- ciphertext = keyring term (4 bytes) || GCM nonce (12) || ciphertext || tag, with associated data
-- binding it to (metadata id, path, version). Destroying a version sets it to NULL.
CREATE TABLE secret_versions (
    secret_id  bigint      NOT NULL REFERENCES secret_metadata (id) ON DELETE CASCADE,
    version    integer     NOT NULL CHECK (version > 0),
    ciphertext bytea,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    destroyed  boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (secret_id, version),
    CONSTRAINT secret_versions_destroyed_has_no_data CHECK (destroyed = (ciphertext IS NULL))
);
