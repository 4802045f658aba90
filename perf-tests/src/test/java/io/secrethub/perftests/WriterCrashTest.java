package io.secrethub.perftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.AuditVerification;
import io.secrethub.core.LoginResult;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.SecretHub;
import io.secrethub.perf.db.PostgresDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM dies mid-write: a child JVM ({@link CrashingWriters}) runs {@value #WRITERS} writers against SecretHub
 * on this class's database, each appending every acknowledged write to a ledger file it forces to disk, and is
 * killed with SIGKILL ({@code Process.destroyForcibly()}) while they write. Then, in this JVM, every ledgered write
 * is read back with its value, the audit chain verifies, and every ledgered write has its success record.
 *
 * <p>Writes in flight at the kill were never acknowledged: their success record may exist (the record is durable
 * before the commit, which the kill may have prevented). Those are counted and printed, with how many of them
 * committed; a success record of a write that did not commit is a record the crash left uncorrected.
 *
 * <p>The child writes for {@value #RUN_KEY} (default 10 s × {@code perf.scale}, at least 3 s) after it is ready.
 */
@PostgresDatabase
@ExtendWith(SuiteSettings.Resolver.class)
class WriterCrashTest {

    static final String RUN_KEY = "secrethub.perf.crash.after";
    static final int WRITERS = 16;
    private static final int SIGKILL_EXIT = 128 + 9;

    private static UnsealedHub vault;
    private static SecretHub hub;
    private static MixedWorkload workload;
    private static Duration runFor;

    @BeforeAll
    static void setUp(DataSource dataSource, SuiteSettings settings) {
        vault = UnsealedHub.open(SecretHub.builder().dataSource(dataSource).defaultMaxVersions(1_000_000), settings);
        hub = vault.hub();
        workload = MixedWorkload.prepare(hub, vault.rootToken(), 1);
        double scale = settings.nonNegative("perf.scale", 1);
        runFor = settings.duration(RUN_KEY, Duration.ofMillis(Math.max(3000, (long) (10_000 * scale))));
    }

    @AfterAll
    static void tearDown() {
        if (vault != null) {
            vault.close();
        }
    }

    /** One acknowledged write as the child ledgered it. */
    private record Entry(int writer, int version, long n) {
    }

    @Test
    @Tag("perf")
    void everyAcknowledgedWriteSurvivesSigkill(DataSource dataSource, @TempDir Path dir) throws Exception {
        List<LoginResult> logins = new ArrayList<>();
        for (int k = 0; k < WRITERS; k++) {
            logins.add(workload.login(k));
        }
        Path ledger = dir.resolve("ledger.txt");
        ProcessBuilder builder = new ProcessBuilder(ServerProcesses.java(), "-cp",
                System.getProperty("java.class.path"), CrashingWriters.class.getName(), ledger.toString());
        ServerProcesses.useDatabase(builder.environment(), dataSource);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process child = builder.start();
        long killedAfterMillis;
        try {
            try (Writer stdin = child.outputWriter(StandardCharsets.UTF_8)) {
                stdin.write(String.join(",", vault.shares()) + "\n");
                for (LoginResult login : logins) {
                    stdin.write(login.token() + "\n");
                }
            }
            awaitReady(child);
            long started = System.nanoTime();
            Thread.sleep(runFor.toMillis());
            // Kill only once writes are being acknowledged, so the kill lands among writes in flight.
            while (Files.size(ledger) == 0 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(50);
            }
            killedAfterMillis = (System.nanoTime() - started) / 1_000_000;
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no close, no flush
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("the child JVM's exit status (128 + SIGKILL)").isEqualTo(SIGKILL_EXIT);

        List<Entry> entries = readLedger(ledger);
        assertThat(entries).as("writes acknowledged before the kill").isNotEmpty();
        List<String> problems = new ArrayList<>();
        Map<Integer, List<Integer>> versions = new HashMap<>();
        for (Entry e : entries) {
            versions.computeIfAbsent(e.writer(), k -> new ArrayList<>()).add(e.version());
            Map<String, String> data = hub.secrets().read(vault.rootToken(), MixedWorkload.statusPath(e.writer()),
                    e.version()).data();
            if (!data.equals(MixedWorkload.status(e.writer(), e.n())) && problems.size() < 5) {
                problems.add("writer " + e.writer() + " version " + e.version() + " holds another value than"
                        + " acknowledged");
            }
        }

        AuditVerification verification = hub.audit().verify(vault.rootToken());
        if (!verification.intact()) {
            problems.add("audit chain not intact after the kill: " + verification.message());
        }
        List<AuditMatch.Expected> expected = new ArrayList<>();
        for (int k = 0; k < WRITERS; k++) {
            expected.add(new AuditMatch.Expected("writer " + k, logins.get(k).accessor(), 0,
                    versions.getOrDefault(k, List.of())));
        }
        AuditMatch.Outcome audit = AuditMatch.match(hub, vault.rootToken(), expected);
        if (audit.missing() > 0) {
            problems.add("acknowledged writes without their success record: " + audit);
        }
        // In flight at the kill: at most one write per writer was past its audit record and not yet ledgered.
        if (audit.unacknowledgedSuccesses() > WRITERS) {
            problems.add("more unacknowledged write successes than writers in flight: " + audit);
        }
        int committed = 0;
        int uncommitted = 0;
        for (Map.Entry<String, List<Integer>> left : audit.unacknowledgedWrites().entrySet()) {
            int writer = Integer.parseInt(left.getKey().substring("writer ".length()));
            for (int version : left.getValue()) {
                try {
                    hub.secrets().read(vault.rootToken(), MixedWorkload.statusPath(writer), version);
                    committed++;
                } catch (NotFoundException e) {
                    uncommitted++;
                }
            }
        }
        System.out.printf("[writer crash] child JVM with %d writers killed (SIGKILL) %.1f s after it was ready;"
                + " %,d acknowledged writes in the fsync'd ledger, all read back with their values: %s; audit chain"
                + " %s (%,d records); %s; of the success records of writes in flight at the kill, %d committed and %d"
                + " did not (a success record the crash left uncorrected)%n", WRITERS, killedAfterMillis / 1e3,
                entries.size(), problems.isEmpty() ? "yes" : "NO", verification.intact() ? "intact" : "BROKEN",
                verification.recordsChecked(), audit, committed, uncommitted);
        assertThat(problems).as("writes acknowledged before SIGKILL").isEmpty();
    }

    private static void awaitReady(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals(CrashingWriters.READY)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(ready.get(120, TimeUnit.SECONDS)).as("the child JVM unsealed its hub and started writing")
                .isTrue();
    }

    /** The ledger's complete lines; a last line without its newline was cut by the kill and never acknowledged. */
    private static List<Entry> readLedger(Path ledger) throws IOException {
        String text = Files.readString(ledger, StandardCharsets.US_ASCII);
        List<Entry> entries = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
            String[] fields = text.substring(start, end).split(" ");
            entries.add(new Entry(Integer.parseInt(fields[0]), Integer.parseInt(fields[1]),
                    Long.parseLong(fields[2])));
        }
        return entries;
    }
}
