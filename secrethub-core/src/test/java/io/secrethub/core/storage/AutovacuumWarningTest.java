package io.secrethub.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.PostgresDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** SecretHub says when the server it migrates has autovacuum off (this project's CI server does), and only then. */
@PostgresDatabase
class AutovacuumWarningTest {

    @Test
    void theWarningFollowsTheServersSetting(DataSource dataSource) throws Exception {
        String setting;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW autovacuum")) {
            rs.next();
            setting = rs.getString(1);
        }

        assertThat(Migrations.warnIfAutovacuumOff(dataSource)).as("autovacuum is %s", setting)
                .isEqualTo(setting.equals("off"));
    }

    @Test
    void databasesOfOneServerShareOneWarning() {
        assertThat(Migrations.server("jdbc:postgresql://localhost:5432/perf_a1b2?sslmode=disable"))
                .isEqualTo(Migrations.server("jdbc:postgresql://localhost:5432/perf_c3d4"))
                .isEqualTo("localhost:5432");
        assertThat(Migrations.server("jdbc:postgresql://localhost:5433/perf_a1b2")).isEqualTo("localhost:5433");
        assertThat(Migrations.server("jdbc:postgresql://db1:5432,db2:5432/app?targetServerType=primary"))
                .isEqualTo("db1,db2:5432,5432");
        assertThat(Migrations.server("jdbc:postgresql://localhost/perf")).as("the default port")
                .isEqualTo("localhost:5432");
        assertThat(Migrations.server("jdbc:postgresql:secrethub")).as("no host: the local default")
                .isEqualTo("localhost:5432");
        assertThat(Migrations.server("not a jdbc url")).isEqualTo("not a jdbc url");
    }
}
