package io.secrethub.perf.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.perf.db.DockerEndpoint.Finding;
import io.secrethub.perf.db.DockerEndpoint.Verdict;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker check that keeps Testcontainers (and its ERROR block) away from machines without Docker. */
class DockerEndpointTest {

    @TempDir
    Path home;

    @Test
    void aMissingSocketIsAbsentWithoutAskingTestcontainers() {
        Finding finding = DockerEndpoint.find(Map.of("DOCKER_HOST", "unix://" + home.resolve("docker.sock")), home);

        assertThat(finding.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(finding.detail()).contains("does not exist");
    }

    @Test
    void aSocketThatAnswersThePingIsDocker() throws Exception {
        Path socket = home.resolve("docker.sock");
        try (FakeEngine engine = new FakeEngine(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")) {
            Finding finding = DockerEndpoint.find(Map.of("DOCKER_HOST", "unix://" + socket), home);

            assertThat(finding.verdict()).isEqualTo(Verdict.ANSWERS);
            assertThat(engine.request()).startsWith("GET /_ping HTTP/1.0");
        }
    }

    @Test
    void aSocketThatAnswersSomethingElseIsNotDocker() throws Exception {
        Path socket = home.resolve("docker.sock");
        try (FakeEngine engine = new FakeEngine(socket, "HTTP/1.1 404 Not Found\r\n\r\n")) {
            Finding finding = DockerEndpoint.find(Map.of("DOCKER_HOST", "unix://" + socket), home);

            assertThat(finding.verdict()).isEqualTo(Verdict.ABSENT);
            assertThat(finding.detail()).contains("answered HTTP/1.1 404 Not Found");
        }
    }

    @Test
    void aClosedTcpPortIsAbsent() {
        Finding finding = DockerEndpoint.find(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"), home);

        assertThat(finding.verdict()).isEqualTo(Verdict.ABSENT);
        assertThat(finding.detail()).contains("tcp://127.0.0.1:1 does not answer");
    }

    @Test
    void whatOnlyTestcontainersUnderstandsIsLeftToIt() throws IOException {
        assertThat(DockerEndpoint.find(Map.of("DOCKER_HOST", "tcp://docker.example:2376", "DOCKER_TLS_VERIFY", "1"),
                home).verdict()).isEqualTo(Verdict.ASK_TESTCONTAINERS);
        assertThat(DockerEndpoint.find(Map.of("DOCKER_HOST", "npipe:////./pipe/docker_engine"), home).verdict())
                .isEqualTo(Verdict.ASK_TESTCONTAINERS);

        Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=tcp://docker.example:2375\n");
        assertThat(DockerEndpoint.find(Map.of(), home).verdict()).isEqualTo(Verdict.ASK_TESTCONTAINERS);
    }

    @Test
    void theUsualSocketsAreLookedFor() {
        assertThat(DockerEndpoint.socketCandidates(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), home)).contains(
                Path.of("/var/run/docker.sock"), Path.of("/run/user/1000/docker.sock"),
                home.resolve(".docker/run/docker.sock"));
    }

    /** A Unix socket that answers one request with a canned response. */
    private static final class FakeEngine implements AutoCloseable {

        private final ServerSocketChannel server;
        private final Thread thread;
        private volatile String request = "";

        FakeEngine(Path socket, String response) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            thread = new Thread(() -> {
                try (SocketChannel client = server.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(512);
                    client.read(in);
                    request = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                    client.write(ByteBuffer.wrap(response.getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    request = "failed: " + e;
                }
            });
            thread.start();
        }

        String request() throws InterruptedException {
            thread.join();
            return request;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join();
        }
    }
}
