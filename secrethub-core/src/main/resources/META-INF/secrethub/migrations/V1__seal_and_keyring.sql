-- Seal configuration and key hierarchy: unseal key (only in the operators' Shamir shares)
-- -> root key (stored encrypted under the unseal key) -> keyring terms (stored encrypted under
-- the root key) -> everything else. No key is ever stored in the clear.

-- One row, written once by initialize. Decrypting encrypted_root_key (AES-GCM) is also how a
-- reconstructed unseal key is verified: a wrong key fails the GCM tag.
CREATE TABLE seal_config (
    id                 smallint    PRIMARY KEY CHECK (id = 1),
    secret_shares      smallint    NOT NULL CHECK (secret_shares BETWEEN 1 AND 255),
    secret_threshold   smallint    NOT NULL CHECK (secret_threshold BETWEEN 1 AND secret_shares),
    share_set_id       bytea       NOT NULL,     -- random; embedded in each share to spot foreign shares early
    encrypted_root_key bytea       NOT NULL,
    initialized_at     timestamptz NOT NULL
);

-- Data keys by term. Rotation inserts term max+1 (serialized by locking the seal_config row);
-- ciphertexts carry their term, so old terms keep decrypting.
CREATE TABLE keyring (
    term          integer     PRIMARY KEY CHECK (term > 0),
    encrypted_key bytea       NOT NULL,
    created_at    timestamptz NOT NULL
);

-- Named internal values encrypted through the keyring (e.g. the system key from which the token
-- hashing and audit keys are derived). Later features keep their own encrypted material here
-- or in their own tables.
CREATE TABLE system_entries (
    name       text        PRIMARY KEY,
    value      bytea       NOT NULL,
    updated_at timestamptz NOT NULL
);
