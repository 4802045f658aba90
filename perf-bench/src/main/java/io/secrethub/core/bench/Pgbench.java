package io.secrethub.core.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database's own speed, from PostgreSQL's {@code pgbench}, so SecretHub's figures can be read as a ratio to
 * what the same server does with nothing on top, on the same server and as the same user as the benchmark's
 * own connections.
 */
final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");

    private final String executable;
    private final PGSimpleDataSource server;

    private Pgbench(String executable, PGSimpleDataSource server) {
        this.executable = executable;
        this.server = server;
    }

    /** pgbench from the PATH, pointed at the benchmark's own server; null when it is not installed. */
    static Pgbench find(PGSimpleDataSource server) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "pgbench");
            if (Files.isExecutable(candidate)) {
                return new Pgbench(candidate.toString(), server);
            }
        }
        return null;
    }

    /** Creates pgbench's tables at scale 10 (a million accounts) in {@code database}. */
    void initialize(String database) throws IOException, InterruptedException {
        run(List.of("-i", "-q", "-s", "10"), database);
    }

    /** TPS of pgbench's select-only script (one primary-key lookup per transaction), after {@link #initialize}. */
    double selectOnly(String database, int clients, int seconds) throws IOException, InterruptedException {
        return tps(run(List.of("-n", "-S", "-c", Integer.toString(clients), "-j", "2", "-T", Integer.toString(seconds)),
                database));
    }

    /** TPS of one committed single-row insert per transaction, the shape of an un-batched audit write. */
    double singleInsert(String database, int clients, int seconds) throws IOException, InterruptedException {
        Path script = Files.createTempFile("pgbench-insert", ".sql");
        try {
            Files.writeString(script, "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime)"
                    + " VALUES (1, 1, :client_id, 1, CURRENT_TIMESTAMP);\n");
            return tps(run(List.of("-n", "-f", script.toString(), "-c", Integer.toString(clients), "-j", "2",
                    "-T", Integer.toString(seconds)), database));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private String run(List<String> arguments, String database) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-h", server.getServerNames()[0],
                "-p", Integer.toString(server.getPortNumbers()[0]), "-U", server.getUser()));
        command.addAll(arguments);
        command.add(database);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("pgbench " + String.join(" ", arguments) + " failed: " + output.strip());
        }
        return output;
    }

    private static double tps(String output) throws IOException {
        Matcher m = TPS.matcher(output);
        if (!m.find()) {
            throw new IOException("no 'tps = …' in pgbench's output: " + output.strip());
        }
        return Double.parseDouble(m.group(1));
    }
}
