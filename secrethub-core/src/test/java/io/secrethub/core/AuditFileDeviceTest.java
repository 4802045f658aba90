package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.secrethub.core.AuditVerification.Problem;
import io.secrethub.core.testing.Eventually;
import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHubExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.jr.ob.JSON;

/** The file audit device: Vault's JSON lines, HMAC'd accessors, a chained file, and fail closed. */
class AuditFileDeviceTest {

    @RegisterExtension
    static final UnsealedHubExtension HUB = new UnsealedHubExtension();

    @Test
    void everyRecordIsAVaultStyleJsonLineWithHmacdAccessorsAndItsChainPosition(HubFixture fixture) throws Exception {
        Path file = newFile();
        SecretHub hub = fixture.newUnsealedInstance(b -> b.auditFile(file));
        String root = fixture.rootToken();
        hub.secrets().write(root, "file/db", Map.of("password", "s3cret-value"));
        hub.secrets().read(root, "file/db");
        assertThatThrownBy(() -> hub.secrets().read("shs.not-a-token", "file/db"))
                .isInstanceOf(InvalidTokenException.class);

        List<String> lines = Files.readAllLines(file);
        String text = String.join("\n", lines);
        assertThat(text).doesNotContain("s3cret-value").doesNotContain(root).doesNotContain("shs.not-a-token");
        Map<String, Object> write = line(lines, "secrets.write");
        assertThat(write).containsEntry("type", "response").containsKey("time").containsEntry("error", "");
        assertThat(map(write, "auth").get("accessor")).asString().startsWith("hmac-sha256:");
        Map<String, Object> request = map(write, "request");
        assertThat(request).containsEntry("path", "file/db").containsEntry("operation", "update")
                .containsKey("id").containsKey("remote_address");
        assertThat(request.get("client_token_accessor")).asString().startsWith("hmac-sha256:");
        Map<String, Object> own = map(write, "secrethub");
        assertThat(own).containsKeys("seq", "hash", "prev", "mac").containsEntry("outcome", "SUCCESS");

        Map<String, Object> denied = line(lines, "secrets.read", "DENIED");
        assertThat(denied).containsEntry("type", "request").containsEntry("error", "InvalidTokenException")
                .doesNotContainKey("response");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"type\":\"secrethub_checkpoint\""));

        AuditVerification v = hub.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
        hub.close();
    }

    @Test
    void anEditedLineBreaksTheFileChain(HubFixture fixture) throws Exception {
        Path file = newFile();
        SecretHub hub = fixture.newUnsealedInstance(b -> b.auditFile(file));
        String root = fixture.rootToken();
        hub.secrets().write(root, "file/edited", Map.of("k", "v"));
        hub.secrets().write(root, "file/other", Map.of("k", "v"));
        hub.close();
        String text = Files.readString(file);
        Files.writeString(file, text.replace("\"path\":\"file/edited\"", "\"path\":\"file/innocent\""));

        SecretHub fresh = fixture.newUnsealedInstance(b -> b.auditFile(file));
        AuditVerification v = fresh.audit().verify(root);
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).isEqualTo(Problem.EDITED);
        assertThat(v.message()).contains("audit file").contains("edited");
        fresh.close();
    }

    @Test
    void aPartialLastLineFromACrashIsCutWhenTheFileIsOpened(HubFixture fixture) throws Exception {
        Path file = newFile();
        SecretHub hub = fixture.newUnsealedInstance(b -> b.auditFile(file));
        String root = fixture.rootToken();
        hub.secrets().write(root, "file/partial", Map.of("k", "v"));
        hub.close();
        Files.writeString(file, "{\"time\":\"2026-", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        SecretHub fresh = fixture.newUnsealedInstance(b -> b.auditFile(file));
        fresh.secrets().read(root, "file/partial");
        AuditVerification v = fresh.audit().verify(root);
        assertThat(v.intact()).as(v.message()).isTrue();
        fresh.close();
    }

    @Test
    void callsFailClosedWhenTheFileCannotBeWrittenAndTheDatabaseSuccessIsCorrected(HubFixture fixture) {
        Path full = Path.of("/dev/full"); // every write fails with "no space left on device"
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        SecretHub hub = fixture.newUnsealedInstance(b -> b.auditFile(full));
        String root = fixture.rootToken();
        assertThatThrownBy(() -> hub.secrets().write(root, "file/full", Map.of("k", "v")))
                .isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining("audit file could not be written");
        assertThatThrownBy(() -> fixture.hub().secrets().read(root, "file/full"))
                .as("the unanswered write was rolled back").isInstanceOf(NotFoundException.class);
        // The database took the success before the file failed: a correction follows it there.
        Eventually.await("the success is corrected", Duration.ofSeconds(20), () -> {
            List<AuditRecord> writes = fixture.hub().audit().records(root, 1, 10_000).stream()
                    .filter(r -> "file/full".equals(r.path()) && r.operation().equals("secrets.write")).toList();
            return writes.stream().filter(r -> r.outcome() == AuditOutcome.SUCCESS).allMatch(s -> writes.stream()
                    .anyMatch(c -> c.requestId().equals(s.requestId()) && c.outcome() == AuditOutcome.ERROR
                            && "not completed after its success was recorded".equals(c.detail())))
                    && writes.stream().anyMatch(r -> r.outcome() == AuditOutcome.SUCCESS);
        });
        hub.close();
    }

    private static Map<String, Object> line(List<String> lines, String operation) throws IOException {
        return line(lines, operation, null);
    }

    private static Map<String, Object> line(List<String> lines, String operation, String outcome)
            throws IOException {
        for (String l : lines) {
            Map<String, Object> fields = JSON.std.mapFrom(l);
            Map<String, Object> own = map(fields, "secrethub");
            if (operation.equals(own.get("operation")) && (outcome == null || outcome.equals(own.get("outcome")))) {
                return fields;
            }
        }
        throw new AssertionError("no line for " + operation + " " + outcome + " in " + lines);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> fields, String key) {
        return (Map<String, Object>) fields.get(key);
    }

    private static Path newFile() {
        try {
            return Files.createTempDirectory("secrethub-audit-device-").resolve("audit.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
