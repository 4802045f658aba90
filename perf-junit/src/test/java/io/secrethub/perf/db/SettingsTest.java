package io.secrethub.perf.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private final FakeEnvironment env = new FakeEnvironment();

    @Test
    void environmentVariableNamesFollowTheKeys() {
        assertThat(DbEnvironment.envName("secrethub.db.url")).isEqualTo("SECRETHUB_DB_URL");
        assertThat(DbEnvironment.envName("perf.db.pool.size")).isEqualTo("PERF_DB_POOL_SIZE");
        assertThat(DbEnvironment.envName("PGHOST")).isEqualTo("PGHOST");
    }

    @Test
    void poolSizeDefaultsTo20AndReadsConfigBeforeEnvironment() {
        assertThat(PostgresExtension.poolSize(env)).isEqualTo(20);

        env.env("PERF_DB_POOL_SIZE", "8");
        assertThat(PostgresExtension.poolSize(env)).isEqualTo(8);

        env.config("perf.db.pool.size", "4");
        assertThat(PostgresExtension.poolSize(env)).isEqualTo(4);
    }

    @Test
    void badPoolSizeIsNamed() {
        env.config("perf.db.pool.size", "0");
        assertThatIllegalArgumentException().isThrownBy(() -> PostgresExtension.poolSize(env))
                .withMessage("perf.db.pool.size must be a positive whole number, not '0'");
    }

    @Test
    void poolTimeoutDefaultsTo30sAndReadsConfigBeforeEnvironment() {
        assertThat(PostgresExtension.poolTimeout(env)).isEqualTo(Duration.ofSeconds(30));

        env.env("PERF_DB_POOL_TIMEOUT", "2s");
        assertThat(PostgresExtension.poolTimeout(env)).isEqualTo(Duration.ofSeconds(2));

        env.config("perf.db.pool.timeout", "750ms");
        assertThat(PostgresExtension.poolTimeout(env)).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void badPoolTimeoutIsNamed() {
        env.config("perf.db.pool.timeout", "100ms");
        assertThatIllegalArgumentException().isThrownBy(() -> PostgresExtension.poolTimeout(env))
                .withMessage("perf.db.pool.timeout must be a duration of at least 250ms, such as 5s, not '100ms'");
    }

    @Test
    void keepDefaultsToFalse() {
        assertThat(PostgresExtension.keep(env)).isFalse();
        env.env("PERF_DB_KEEP", "true");
        assertThat(PostgresExtension.keep(env)).isTrue();
        env.config("perf.db.keep", "false");
        assertThat(PostgresExtension.keep(env)).isFalse();
    }
}
