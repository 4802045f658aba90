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
}
