package io.secrethub.perf.db;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server to connect to: a JDBC URL (whose database is where we connect first) and
 * credentials. {@code user} and {@code password} may be null (then the URL's or the driver's defaults
 * apply). Its text form never shows a password, so it is safe in logs and error messages.
 */
record Server(String url, String user, String password) {

    /** A new unpooled data source for this server; callers may point it at another database or schema. */
    PGSimpleDataSource dataSource() {
        return configure(new PGSimpleDataSource());
    }

    /** The same, with connections that count their statements ({@code @MaxQueriesPerOp}). */
    PGSimpleDataSource countingDataSource() {
        return configure(new CountingPgDataSource());
    }

    private PGSimpleDataSource configure(PGSimpleDataSource dataSource) {
        dataSource.setUrl(url);
        if (user != null) {
            dataSource.setUser(user);
        }
        if (password != null) {
            dataSource.setPassword(password);
        }
        return dataSource;
    }

    /** {@code url} with any {@code password=} parameter masked. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String toString() {
        return redact(url) + (user == null ? "" : " as " + user);
    }
}
