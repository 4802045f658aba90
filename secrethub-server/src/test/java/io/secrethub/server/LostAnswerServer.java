package io.secrethub.server;

import io.secrethub.server.tls.ServerIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A server that takes each request whole (TLS with the cluster's identity, head and body) and then drops the
 * connection without answering: what a client sees when an instance dies while serving it. A hook runs before the
 * drop, so a test can make the lost request "applied" (by doing it on the real cluster) or not.
 */
final class LostAnswerServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Consumer<String> beforeDrop = request -> { };
    /** 0: drop the connection; else answer every request with this status (a server whose database is down). */
    private volatile int answer;

    LostAnswerServer(ServerIdentity identity) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(identity.keyStore(), identity.keyStorePassword().toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), null, null);
            socket = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::serve, "lost-answer-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Runs {@code hook} with each request's text (head and body) before its connection is dropped. */
    void beforeDrop(Consumer<String> hook) {
        this.beforeDrop = hook;
    }

    /**
     * Answers every request with {@code status} and Vault's error body instead of dropping it, as an instance
     * answers when its database went away mid-request (500): the answer says the call failed, not whether it was
     * applied.
     */
    void answerWith(int status) {
        this.answer = status;
    }

    int requests() {
        return requests.get();
    }

    String url() {
        return "https://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                String request = readRequest(connection.getInputStream());
                if (request == null) {
                    continue;
                }
                requests.incrementAndGet();
                beforeDrop.accept(request);
                int status = answer;
                if (status != 0) {
                    byte[] body = "{\"errors\":[\"internal error\"]}\n".getBytes(StandardCharsets.UTF_8);
                    String head = "HTTP/1.1 " + status + " Error\r\nContent-Type: application/json\r\n"
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
                    connection.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                    connection.getOutputStream().write(body);
                    connection.getOutputStream().flush();
                    continue;
                }
                connection.setSoLinger(true, 0); // a reset, as from a killed process
            } catch (IOException | RuntimeException e) {
                // a handshake that failed, or closed: next connection
            }
        }
    }

    /** The head and body of one HTTP/1.1 request, or null if the connection ended first. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
