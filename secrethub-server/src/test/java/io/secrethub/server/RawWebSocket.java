package io.secrethub.server;

import io.secrethub.server.client.AgentKeys;
import io.secrethub.server.tls.PemFiles;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A WebSocket client written against the socket, for the tests that must misbehave: send frames no library would
 * (garbage, unmasked, oversized), or never read. RFC 6455 framing by hand; TLS with an optional client certificate.
 */
final class RawWebSocket implements AutoCloseable {

    static final int CONTINUATION = 0;
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame (1005 when it carries none). */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final int status;
    final String responseHead;

    private RawWebSocket(SSLSocket socket, int status, String responseHead, DataInputStream in) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.status = status;
        this.responseHead = responseHead;
    }

    /** Opens TLS (presenting {@code certificatePem} with {@code keys} when given) and asks for the upgrade. */
    static RawWebSocket open(int port, Path caFile, AgentKeys keys, String certificatePem,
            String token) throws Exception {
        return open(port, caFile, keys, certificatePem, token, "");
    }

    /** As {@link #open(int, Path, AgentKeys, String, String)}, with more request header lines (each ending CRLF). */
    static RawWebSocket open(int port, Path caFile, AgentKeys keys, String certificatePem, String token,
            String moreHeaders) throws Exception {
        SSLSocket socket = (SSLSocket) context(caFile, keys, certificatePem).getSocketFactory()
                .createSocket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        String request = "GET /v1/agent/ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + (token == null ? "" : "X-Vault-Token: " + token + "\r\n")
                + moreHeaders + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        String head = readHead(in);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        return new RawWebSocket(socket, status, head, in);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the upgrade");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The body of a refused upgrade (its Content-Length bytes). */
    String refusalBody() throws IOException {
        for (String line : responseHead.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                byte[] body = new byte[Integer.parseInt(line.substring(15).trim())];
                in.readFully(body);
                return new String(body, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    void sendText(String text) throws IOException {
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One final, masked frame. */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        sendFrame(opcode, true, payload);
    }

    /** One masked frame, final or not (a message in several frames: the first with its opcode, then CONTINUATION). */
    void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        sendRaw(frame.toByteArray());
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame from the server, answering pings on the way; {@code null} at the end of the stream. */
    Frame read() throws IOException {
        return read(true);
    }

    /** The next frame from the server; pings answered on the way or returned; {@code null} at the end. */
    Frame read(boolean answerPings) throws IOException {
        while (true) {
            int first;
            try {
                first = in.read();
            } catch (javax.net.ssl.SSLException | java.net.SocketException e) {
                return null; // reset: as good as the end for these tests
            }
            if (first < 0) {
                return null;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int opcode = first & 0x0f;
            if (opcode == PING && answerPings) {
                sendFrame(PONG, payload);
                continue;
            }
            return new Frame(opcode, payload);
        }
    }

    /** The next text message (skipping nothing else: a close or the end fails the test with what came). */
    String readText() throws IOException {
        Frame frame = read();
        if (frame == null || frame.opcode() != TEXT) {
            throw new IOException("expected a text message, got " + (frame == null ? "the end of the stream"
                    : "opcode " + frame.opcode() + (frame.opcode() == CLOSE ? " code " + frame.closeCode() : "")));
        }
        return frame.text();
    }

    /** Reads until the server's close frame (its code) or the end of the stream (-1), ignoring messages. */
    /** The close code the server sends within {@code within} (a timeout for the wait), or -1 if none came. */
    int awaitClose(java.time.Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        return awaitClose();
    }

    int awaitClose() throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = read();
            } catch (SocketTimeoutException | EOFException e) {
                return -1;
            }
            if (frame == null) {
                return -1;
            }
            if (frame.opcode() == CLOSE) {
                return frame.closeCode();
            }
        }
    }

    /**
     * Reads (answering nothing, not even a close frame) until the server ends the connection: true, or false if it
     * was still open after {@code within} (a bound for the wait).
     */
    boolean awaitEnd(java.time.Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            while (read(false) != null) {
                continue;
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        }
    }

    private static SSLContext context(Path caFile, AgentKeys keys, String certificatePem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (keys != null) {
            KeyStore identity = KeyStore.getInstance("PKCS12");
            identity.load(null, null);
            List<X509Certificate> chain = PemFiles.certificates(certificatePem);
            identity.setKeyEntry("agent", keys.keyPair().getPrivate(), "x".toCharArray(), jdk(chain));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(identity, "x".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate[] jdk(List<X509Certificate> chain) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509", "SUN");
        X509Certificate[] out = new X509Certificate[chain.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (X509Certificate) factory.generateCertificate(new java.io.ByteArrayInputStream(chain.get(i)
                    .getEncoded()));
        }
        return out;
    }


    @Override
    public void close() throws IOException {
        socket.close();
    }
}
