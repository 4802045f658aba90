/**
 * SecretHub's core: a Vault-style secrets manager as a Java API over PostgreSQL.
 *
 * <p>The API is {@code io.secrethub.core} (the hub, its facades, value types and exceptions) and
 * {@code io.secrethub.core.policy} (the policy language). Every other package is internal and not exported.
 */
module io.secrethub.core {
    exports io.secrethub.core;
    exports io.secrethub.core.policy;

    // SecretHubBuilder.dataSource takes a javax.sql.DataSource, so users of the API read java.sql too.
    requires transitive java.sql;

    requires com.zaxxer.hikari;
    requires org.postgresql.jdbc;
    requires flyway.core;
    // Flyway finds its PostgreSQL support as a plugin (ServiceLoader); requiring it keeps it in the module graph.
    requires flyway.database.postgresql;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;
    requires tools.jackson.jr.ob;
    requires org.slf4j;
}
