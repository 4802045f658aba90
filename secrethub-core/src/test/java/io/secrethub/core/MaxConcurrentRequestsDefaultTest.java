package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The request queue's default size follows the connection pool when SecretHub can see the pool's size. */
class MaxConcurrentRequestsDefaultTest {

    @Test
    void isThePoolsSizeAndHalfAsManyAgain() {
        assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(1)).isEqualTo(2);
        assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(20)).isEqualTo(30);
        assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(21)).isEqualTo(32);
        assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(40)).isEqualTo(60);
        assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> SecretHubBuilder.defaultMaxConcurrentRequests(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("poolSize must be at least 1");
    }

    @Test
    void followsAHikariPoolsMaximumSize() {
        try (HikariDataSource pool = new HikariDataSource()) { // not started: no connection is made
            pool.setMaximumPoolSize(32);
            assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(pool)).isEqualTo(48);
        }
    }

    @Test
    void isTheFixedDefaultForADataSourceOfUnknownSize() {
        assertThat(SecretHubBuilder.defaultMaxConcurrentRequests(new PGSimpleDataSource()))
                .isEqualTo(SecretHubBuilder.DEFAULT_MAX_CONCURRENT_REQUESTS);
    }
}
