package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.ServerIdentity;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * At most {@code maxHandshakes} connections between their accept and the answer to their first request (the TLS
 * handshake and the first request's work); the connector accepts again as they finish.
 */
class HandshakeLimitTest {

    private ServerIdentity identity;
    private Path ca;

    @BeforeEach
    void identity() throws IOException {
        identity = DevTls.create("127.0.0.1", Files.createTempDirectory("secrethub-handshake-tls-"));
        ca = identity.caFile().orElseThrow();
    }

    private SecretHubServer server(int maxHandshakes) {
        Handler fixed = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        };
        return SecretHubServer.builder().baseline(fixed).identity(identity).maxHandshakes(maxHandshakes)
                .address(new ListenAddress("127.0.0.1", 0)).build().start();
    }

    private SSLSocket handshake(int port) throws IOException {
        SSLSocket socket = (SSLSocket) RawHttp.trusting(ca).getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(20_000); // a handshake that never gets its answer fails the test instead of hanging
        socket.startHandshake();
        return socket;
    }

    @Test
    void anAnsweredFirstRequestFreesItsPlaceWhileItsConnectionStaysOpen() throws Exception {
        try (SecretHubServer server = server(1);
                SSLSocket first = handshake(server.port())) {
            assertThat(firstRequest(first)).startsWith("HTTP/1.1 200");
            try (SSLSocket second = handshake(server.port())) {
                assertThat(firstRequest(second)).startsWith("HTTP/1.1 200");
                try (SSLSocket third = handshake(server.port())) {
                    assertThat(firstRequest(third)).startsWith("HTTP/1.1 200");
                    awaitInFlight(server, 0);
                }
            }
        }
    }

    @Test
    void aConnectionKeepsItsPlaceAfterItsHandshakeUntilItsFirstRequestIsAnswered() throws Exception {
        try (SecretHubServer server = server(1);
                SSLSocket first = handshake(server.port())) {
            awaitInFlight(server, 1);
            assertThat(firstRequest(first)).startsWith("HTTP/1.1 200");
            awaitInFlight(server, 0);
        }
    }

    /** Sends a GET on {@code socket} and returns the status line of its answer. */
    private static String firstRequest(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET /v1/sys/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        StringBuilder line = new StringBuilder();
        for (int c = socket.getInputStream().read(); c != -1 && c != '\n'; c = socket.getInputStream().read()) {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    @Test
    void whileTheLimitIsReachedNewConnectionsWaitAndAreServedOnceAPlaceIsFree() throws Exception {
        try (SecretHubServer server = server(1);
                Socket stalled = stalledHandshake(server.port())) {
            awaitInFlight(server, 1);
            assertThat(server.handshakes().pauses()).isEqualTo(1);
            // Jetty's acceptor was already waiting in accept() when the limit was reached, so it takes one more
            // connection before it pauses: a second stalled client takes that one
            try (Socket alsoStalled = stalledHandshake(server.port())) {
                awaitInFlight(server, 2);

                var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return handshake(server.port());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(500);
                assertThat(waiting).as("a handshake while the limit is reached").isNotDone();

                stalled.close();
                alsoStalled.close();
                try (SSLSocket served = waiting.get(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    assertThat(firstRequest(served)).startsWith("HTTP/1.1 200");
                }
            }
            awaitInFlight(server, 0);
        }
    }

    /**
     * A client that began a TLS handshake (a record header promising a ClientHello that never comes). One that sent
     * nothing at all would hold no place: the server makes no TLS connection before a first byte.
     */
    private static Socket stalledHandshake(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x50});
        socket.getOutputStream().flush();
        return socket;
    }

    private static void awaitInFlight(SecretHubServer server, int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.handshakes().inFlight() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.handshakes().inFlight()).isEqualTo(count);
    }
}
