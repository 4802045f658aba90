-- Expiry storms write less WAL (issue 13). No update of a lease row is HOT: every state change moves state (in the
-- partial indexes' predicates) and next_attempt_at (leases_due_idx), so each new row version gets an entry in the
-- primary key and in every partial index whose predicate it matches. leases_owner_idx matched every row with an
-- owner, so each claim and each revocation of an owned lease also inserted its accessor, a random key: a write to a
-- random page of that index, and a full-page image of it after each checkpoint.
--
-- The index is only read for leases a token revocation can still queue (LeaseStore.queueOwned, TokenStore's
-- revocation: owner_accessor = … AND state IN ('active', 'irrevocable')), so it now holds only those. A lease being
-- revoked or revoked costs it nothing; issuing a lease costs it the same entry as before.
DROP INDEX leases_owner_idx;
CREATE INDEX leases_owner_idx ON leases (owner_accessor)
    WHERE owner_accessor IS NOT NULL AND state IN ('active', 'irrevocable');
