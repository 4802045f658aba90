-- The audit log: an append-only hash chain shared by every instance on this database.
-- hash = HMAC-SHA256(audit chain key, previous hash || canonical encoding of the record), the key
-- derived from the keyring, so the chain cannot be recomputed by someone with database access only.
CREATE TABLE audit_log (
    seq            bigint      PRIMARY KEY,
    recorded_at    timestamptz NOT NULL,
    node           text        NOT NULL,
    request_id     uuid        NOT NULL,
    operation      text        NOT NULL,
    path           text,
    accessor_hmac  text,
    client_address text,
    outcome        text        NOT NULL,
    error          text,
    detail         text,
    hash           bytea       NOT NULL
);

-- The chain head: the one row every audit batch locks (SELECT ... FOR UPDATE), which serializes
-- appends across instances and keeps sequence numbers gapless. seq 0 / 32 zero bytes is genesis.
CREATE TABLE audit_head (
    id   smallint PRIMARY KEY CHECK (id = 1),
    seq  bigint   NOT NULL,
    hash bytea    NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));
