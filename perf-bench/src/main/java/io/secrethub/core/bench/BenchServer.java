package io.secrethub.core.bench;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL server {@link SecretHubBenchmark} and {@link Pgbench} use, from the libpq variables
 * {@code PGHOST}, {@code PGPORT}, {@code PGUSER}, {@code PGPASSWORD} (default 127.0.0.1:5432 as postgres). A main
 * program, not a test: perf-junit's {@code @PostgresDatabase} needs a JUnit context, and pgbench needs the very
 * host, port and user the benchmark's pool connects with.
 */
final class BenchServer {

    private BenchServer() {
    }

    /** A data source for {@code database} on that server. */
    static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        String host = env("PGHOST", "127.0.0.1");
        // libpq allows a socket directory here; JDBC speaks TCP only, so use the local server's port.
        ds.setServerNames(new String[] {host.startsWith("/") ? "127.0.0.1" : host});
        ds.setPortNumbers(new int[] {Integer.parseInt(env("PGPORT", "5432"))});
        ds.setUser(env("PGUSER", "postgres"));
        String password = System.getenv("PGPASSWORD");
        if (password != null) {
            ds.setPassword(password);
        }
        ds.setDatabaseName(database);
        return ds;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
