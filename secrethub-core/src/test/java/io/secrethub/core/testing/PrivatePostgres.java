package io.secrethub.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, on a free loopback port, that the test may stop, kill and start again
 * — for fault tests (a database restart under load, a failover) that must never restart the shared server other
 * tests are using.
 *
 * <p>It runs the machine's own PostgreSQL binaries ({@code initdb}, {@code pg_ctl}): those named by
 * {@code SECRETHUB_PG_BIN}, else the newest {@code /usr/lib/postgresql/<major>/bin}, else those on the
 * {@code PATH}. PostgreSQL refuses to run as root, so as root every command runs as the {@code postgres} user
 * through {@code runuser}. {@link #available()} says whether all that is here, for an
 * {@code Assumptions.assumeTrue}. Trust authentication, user {@code postgres}, database {@code postgres}.
 *
 * <pre>{@code
 * try (PrivatePostgres pg = PrivatePostgres.create()) {
 *     DataSource ds = ...pg.jdbcUrl()...;
 *     pg.restart();     // a clean restart: pg_ctl restart -m fast
 *     pg.kill();        // an immediate stop (no checkpoint), as a crash
 *     pg.start();
 * }
 * }</pre>
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final String SYSTEM_USER = "postgres";

    private final Path bin;
    private final Path directory;
    private final int port;

    private PrivatePostgres(Path bin, Path directory, int port) {
        this.bin = bin;
        this.directory = directory;
        this.port = port;
    }

    /** Whether this machine has PostgreSQL's server binaries that this class can run. */
    public static boolean available() {
        return binaries().isPresent() && (!runningAsRoot() || Files.isExecutable(Path.of("/usr/sbin/runuser"))
                || Files.isExecutable(Path.of("/sbin/runuser")));
    }

    /** Creates a cluster in a new temporary directory and starts it. */
    public static PrivatePostgres create() {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException(
                "No PostgreSQL server binaries (initdb, pg_ctl) found: set SECRETHUB_PG_BIN to their directory"));
        try {
            Path directory = Files.createTempDirectory("secrethub-private-pg-");
            if (runningAsRoot()) {
                UserPrincipal owner = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(SYSTEM_USER);
                Files.setOwner(directory, owner);
            }
            PrivatePostgres pg = new PrivatePostgres(bin, directory, freePort());
            pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", "postgres",
                    "-A", "trust", "-E", "UTF8", "--no-instructions"));
            pg.start0();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a private PostgreSQL cluster", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}; user {@code postgres}, no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    /** Starts the stopped server again, on the same port and data. */
    public void start() {
        start0();
    }

    /** A clean stop: {@code pg_ctl stop -m fast} (disconnects every client, checkpoints). */
    public void stop() {
        run(List.of(pgCtl(), "stop", "-D", data().toString(), "-m", "fast", "-w"));
    }

    /** An immediate stop without a checkpoint, as a crash; the next start runs recovery. */
    public void kill() {
        run(List.of(pgCtl(), "stop", "-D", data().toString(), "-m", "immediate", "-w"));
    }

    /** {@code pg_ctl restart -m fast}: what {@code pg_ctlcluster … restart} does to a real server. */
    public void restart() {
        stop();
        start0();
    }

    /** Stops the server if it runs and deletes its directory. */
    @Override
    public void close() {
        try {
            if (Files.exists(data().resolve("postmaster.pid"))) {
                kill();
            }
        } finally {
            delete(directory);
        }
    }

    private void start0() {
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + directory
                + " -c max_connections=300 -c fsync=on";
        run(List.of(pgCtl(), "start", "-D", data().toString(), "-w", "-t", "60", "-l",
                directory.resolve("postgres.log").toString(), "-o", options));
    }

    private String pgCtl() {
        return bin.resolve("pg_ctl").toString();
    }

    private Path data() {
        return directory.resolve("data");
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + new String(output, StandardCharsets.UTF_8) + logTail());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command.get(0), e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("postgres.log"));
            return "\nThe server log ends with:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Path> binaries() {
        String configured = System.getenv("SECRETHUB_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(PrivatePostgres::hasServer);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Optional<Path> newest = versions.map(v -> v.resolve("bin")).filter(PrivatePostgres::hasServer)
                    .max(Comparator.comparingInt(PrivatePostgres::major));
            if (newest.isPresent()) {
                return newest;
            }
        } catch (IOException | RuntimeException e) {
            // no Debian layout; try the PATH
        }
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).filter(p -> !p.isEmpty()).map(Path::of)
                .filter(PrivatePostgres::hasServer).findFirst();
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean hasServer(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // under java.io.tmpdir; nothing more to do
        }
    }
}
