package io.secrethub.perftests;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.SecretHub;
import io.secrethub.core.testing.Unsealing;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link WriterCrashTest}: unseals a SecretHub on the test's database and runs one writer thread
 * per token, each writing its own status secret ({@link MixedWorkload#statusPath}) over and over until the JVM is
 * killed. Every write SecretHub acknowledges is appended to the ledger file as {@code writer version n} and forced
 * to disk before the writer goes on, so the ledger holds exactly what was acknowledged before the kill (a line the
 * kill cut short has no newline and is not counted).
 *
 * <p>Arguments: the ledger file. Standard input: the unseal shares (comma separated) on the first line, then one
 * token per writer, one a line (never on the command line, where {@code ps} would show them). The database comes
 * from {@code SECRETHUB_DB_URL}, {@code SECRETHUB_DB_USER}, {@code SECRETHUB_DB_PASSWORD}
 * ({@link ServerProcesses#useDatabase}). Prints {@value #READY} once unsealed.
 */
final class CrashingWriters {

    static final String READY = "WRITERS READY";

    private CrashingWriters() {
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> shares = Arrays.stream(in.readLine().split(",")).map(String::trim).toList();
        List<String> tokens = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isBlank(); line = in.readLine()) {
            tokens.add(line.trim());
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(System.getenv("SECRETHUB_DB_URL"));
        config.setUsername(System.getenv("SECRETHUB_DB_USER"));
        config.setPassword(System.getenv("SECRETHUB_DB_PASSWORD"));
        config.setPoolName("crashing-writers");
        config.setMaximumPoolSize(tokens.size() + 4); // + the audit writer, the change feed and housekeeping
        HikariDataSource pool = new HikariDataSource(config);
        SecretHub hub = SecretHub.builder().dataSource(pool).defaultMaxVersions(1_000_000).build();
        Unsealing.unseal(hub, shares);
        FileChannel ledger = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        for (int k = 0; k < tokens.size(); k++) {
            int writer = k;
            String token = tokens.get(k);
            Thread thread = new Thread(() -> write(hub, token, writer, ledger), "crashing-writer-" + k);
            thread.start();
        }
        System.out.println(READY);
        System.out.flush();
    }

    private static void write(SecretHub hub, String token, int writer, FileChannel ledger) {
        for (long n = 1; ; n++) {
            int version;
            try {
                version = hub.secrets().write(token, MixedWorkload.statusPath(writer),
                        MixedWorkload.status(writer, n)).version();
            } catch (RuntimeException e) {
                System.err.println("[crashing writers] write " + n + " of writer " + writer + " failed: " + e);
                continue; // not acknowledged: not in the ledger
            }
            byte[] line = (writer + " " + version + " " + n + "\n").getBytes(StandardCharsets.US_ASCII);
            synchronized (ledger) {
                try {
                    ByteBuffer buffer = ByteBuffer.wrap(line);
                    while (buffer.hasRemaining()) {
                        ledger.write(buffer);
                    }
                    ledger.force(false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
