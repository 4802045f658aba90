package io.secrethub.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.lease.LeaseStore;
import io.secrethub.core.token.TokenStore;
import org.junit.jupiter.api.Test;

/** The typed inserts write exactly the statements the stores used to spell out (prepared-statement cache keys). */
class RowInsertTest {

    @Test
    void leaseRowsAsValuesAndAsSelect() {
        String columns = "lease_id, kind, issued_at, ttl_seconds, expire_at, max_expire_at, renewable, state,"
                + " next_attempt_at, payload, row_mac, owner_accessor";
        String placeholders = "?::text, ?::text, ?::timestamptz, ?::bigint, ?::timestamptz, ?::timestamptz,"
                + " ?::boolean, 'active', ?::timestamptz, ?::bytea, ?::bytea, ?::text";

        assertThat(LeaseStore.INSERT.values())
                .isEqualTo("INSERT INTO leases (" + columns + ") VALUES (" + placeholders + ")");
        assertThat(LeaseStore.INSERT.selectFrom("granted"))
                .isEqualTo("INSERT INTO leases (" + columns + ") SELECT " + placeholders + " FROM granted");
    }

    @Test
    void tokenRowsAsValuesAndAsSelect() {
        String columns = "token_hash, accessor, policies, display_name, parent_accessor, created_at, ttl_seconds,"
                + " expires_at, max_expires_at, lease_id, row_mac";
        String placeholders = "?::bytea, ?::text, ?::text[], ?::text, ?::text, ?::timestamptz, ?::bigint,"
                + " ?::timestamptz, ?::timestamptz, ?::text, ?::bytea";

        assertThat(TokenStore.INSERT.values())
                .isEqualTo("INSERT INTO tokens (" + columns + ") VALUES (" + placeholders + ")");
        assertThat(TokenStore.INSERT.selectFrom("granted"))
                .isEqualTo("INSERT INTO tokens (" + columns + ") SELECT " + placeholders + " FROM granted");
    }
}
