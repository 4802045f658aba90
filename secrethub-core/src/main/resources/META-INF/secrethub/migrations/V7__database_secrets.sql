-- The database secrets engine: connections to PostgreSQL servers SecretHub creates users on, and
-- roles that say how to create, renew and revoke those users. Issued credentials are leases (kind
-- 'database'); their passwords are never stored.

-- The admin password is encrypted through the barrier, bound to the config name, and never returned
-- by a read. connection_url is refused at write time if it carries a password.
CREATE TABLE database_configs (
    name               text        PRIMARY KEY,
    connection_url     text        NOT NULL,
    username           text        NOT NULL,
    encrypted_password bytea       NOT NULL,
    allowed_roles      text[]      NOT NULL,                 -- role names, or '*' for any
    max_connections    integer     NOT NULL CHECK (max_connections BETWEEN 1 AND 100),
    generation         uuid        NOT NULL,                 -- new on every write: instances rebuild their pools
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);

-- Statements are templates with {{name}}, {{password}} (creation only) and {{expiration}}.
CREATE TABLE database_roles (
    name                  text        PRIMARY KEY,
    db_name               text        NOT NULL REFERENCES database_configs (name),
    creation_statements   text[]      NOT NULL,
    renew_statements      text[]      NOT NULL,
    revocation_statements text[]      NOT NULL,
    default_ttl_seconds   bigint      NOT NULL CHECK (default_ttl_seconds > 0),
    max_ttl_seconds       bigint      NOT NULL CHECK (max_ttl_seconds >= default_ttl_seconds),
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX database_roles_db_name_idx ON database_roles (db_name);
