-- Storage is untrusted: every row whose content decides who may do what carries an HMAC-SHA256 over its
-- identity and the columns that matter, under a key derived from the barrier (RowMacs). A migration cannot
-- compute it (the key is sealed), so rows written before this migration start with NULL; the first instance
-- to unseal afterwards computes their MACs once (RowIntegrityBackfill) and records in the barrier-encrypted
-- system key entry that it did, after which a NULL MAC is refused like a wrong one.
ALTER TABLE tokens ADD COLUMN row_mac bytea;
ALTER TABLE policies ADD COLUMN row_mac bytea;
ALTER TABLE approle_roles ADD COLUMN row_mac bytea;
ALTER TABLE database_configs ADD COLUMN row_mac bytea;
ALTER TABLE database_roles ADD COLUMN row_mac bytea;
ALTER TABLE agents ADD COLUMN row_mac bytea;
ALTER TABLE agent_certificates ADD COLUMN row_mac bytea;
ALTER TABLE leases ADD COLUMN row_mac bytea;
