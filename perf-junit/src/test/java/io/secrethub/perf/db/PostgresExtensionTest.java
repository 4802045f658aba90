package io.secrethub.perf.db;

import static io.secrethub.perf.db.LocalPostgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension as a user meets it, on whatever server this run resolves. */
@PostgresDatabase
class PostgresExtensionTest {

    private static DataSource fromAccessor;
    private static DataSource fromBeforeAll;

    @RegisterExtension
    static final BeforeAllCallback ANOTHER_EXTENSION = context -> fromAccessor = PostgresExtension.dataSource(context);

    private final DataSource fromConstructor;
    private DataSource fromBeforeEach;

    PostgresExtensionTest(DataSource dataSource) {
        this.fromConstructor = dataSource;
    }

    @BeforeAll
    static void beforeAll(DataSource dataSource) throws Exception {
        fromBeforeAll = dataSource;
        assertThat(query(dataSource, "select count(*) from information_schema.tables"
                + " where table_schema not in ('pg_catalog', 'information_schema')"))
                .as("a fresh database has no tables").isEqualTo("0");
    }

    @BeforeEach
    void beforeEach(DataSource dataSource) {
        fromBeforeEach = dataSource;
    }

    @Test
    void everyInjectionPointGetsTheSamePool(DataSource dataSource) {
        assertThat(dataSource).isSameAs(fromConstructor).isSameAs(fromBeforeEach)
                .isSameAs(fromBeforeAll).isSameAs(fromAccessor);
    }

    @Test
    void itIsAHikariPoolOnADatabaseOfItsOwn(DataSource dataSource) throws Exception {
        assertThat(dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(20);
        assertThat(query(dataSource, "select current_database()")).matches("perf_\\d{14}_[0-9a-f]{8}");
    }

    @Test
    void itWorks(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table if not exists greeting (text varchar(20))");
            statement.execute("insert into greeting values ('hello')");
        }
        assertThat(query(dataSource, "select text from greeting")).isEqualTo("hello");
    }
}
