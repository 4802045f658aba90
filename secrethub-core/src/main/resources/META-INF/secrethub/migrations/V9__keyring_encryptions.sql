-- AES-GCM with random 96-bit nonces is safe for about 2^32 encryptions under one key. Each instance counts its
-- encryptions per keyring term and adds them here when it refreshes the keyring, so every instance sees the
-- term's total and rotates before the budget runs out (Barrier.DEFAULT_ENCRYPTIONS_PER_TERM, Vault's figure).
ALTER TABLE keyring ADD COLUMN encryptions bigint NOT NULL DEFAULT 0 CHECK (encryptions >= 0);
