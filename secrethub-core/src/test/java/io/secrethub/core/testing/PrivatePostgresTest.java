package io.secrethub.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PrivatePostgresTest {

    @Test
    void dataSurvivesARestartAndAKillAndConnectionsDoNot() throws SQLException {
        assumeTrue(PrivatePostgres.available(), "no PostgreSQL server binaries on this machine");
        try (PrivatePostgres pg = PrivatePostgres.create()) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v int)");
                s.execute("INSERT INTO kept VALUES (42)");
                pg.restart();
                assertThrows(SQLException.class, () -> s.executeQuery("SELECT 1"),
                        "a restart must drop the connections that were open");
            }
            pg.kill();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "").close());
            pg.start();
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
                    Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                r.next();
                assertEquals(42, r.getInt(1));
            }
        }
    }
}
