package io.secrethub.perf.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds where a Docker engine would listen and asks it {@code GET /_ping}, without Testcontainers. Testcontainers
 * logs an ERROR block with a stack trace when it finds no Docker, which on a machine without Docker reads like a
 * failure of the run; so it is asked only when an engine answers here (or when its whereabouts are configured in a
 * way this class does not read, such as TLS or {@code ~/.testcontainers.properties}).
 */
final class DockerEndpoint {

    private static final int PING_TIMEOUT_MILLIS = 1000;
    private static final byte[] PING =
            "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What the check found. */
    enum Verdict {
        /** An engine answered the ping. */
        ANSWERS,
        /** No engine is configured or listening. */
        ABSENT,
        /** Configured in a way only Testcontainers understands: let it decide. */
        ASK_TESTCONTAINERS
    }

    record Finding(Verdict verdict, String detail) {
    }

    private DockerEndpoint() {
    }

    /**
     * @param env the environment variables ({@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code XDG_RUNTIME_DIR})
     * @param home the user's home directory
     */
    static Finding find(Map<String, String> env, Path home) {
        String dockerHost = env.getOrDefault("DOCKER_HOST", "").trim();
        if (!dockerHost.isEmpty()) {
            return fromDockerHost(dockerHost, env);
        }
        if (Files.exists(home.resolve(".testcontainers.properties"))) {
            return new Finding(Verdict.ASK_TESTCONTAINERS, "~/.testcontainers.properties exists");
        }
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return new Finding(Verdict.ASK_TESTCONTAINERS, "Docker on Windows listens on a named pipe");
        }
        List<Path> sockets = socketCandidates(env, home);
        for (Path socket : sockets) {
            if (Files.exists(socket)) {
                return ping(UnixDomainSocketAddress.of(socket), socket.toString());
            }
        }
        return new Finding(Verdict.ABSENT, "no Docker: DOCKER_HOST is not set and none of " + sockets + " exists");
    }

    /** Where Docker Engine, rootless Docker, Docker Desktop, Colima and Rancher Desktop put their socket. */
    static List<Path> socketCandidates(Map<String, String> env, Path home) {
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock")));
        Optional.ofNullable(env.get("XDG_RUNTIME_DIR")).filter(dir -> !dir.isBlank())
                .ifPresent(dir -> sockets.add(Path.of(dir, "docker.sock")));
        sockets.add(home.resolve(".docker/run/docker.sock"));
        sockets.add(home.resolve(".docker/desktop/docker.sock"));
        sockets.add(home.resolve(".colima/default/docker.sock"));
        sockets.add(home.resolve(".rd/docker.sock"));
        return sockets;
    }

    private static Finding fromDockerHost(String dockerHost, Map<String, String> env) {
        URI uri;
        try {
            uri = URI.create(dockerHost);
        } catch (IllegalArgumentException e) {
            return new Finding(Verdict.ASK_TESTCONTAINERS, "DOCKER_HOST=" + dockerHost + " is not a URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (scheme.equals("unix") && uri.getPath() != null) {
            Path socket = Path.of(uri.getPath());
            return Files.exists(socket) ? ping(UnixDomainSocketAddress.of(socket), dockerHost)
                    : new Finding(Verdict.ABSENT, "no Docker: DOCKER_HOST=" + dockerHost + " does not exist");
        }
        boolean tls = !env.getOrDefault("DOCKER_TLS_VERIFY", "").isBlank();
        if (scheme.equals("tcp") && !tls && uri.getHost() != null && uri.getPort() > 0) {
            return ping(new InetSocketAddress(uri.getHost(), uri.getPort()), dockerHost);
        }
        return new Finding(Verdict.ASK_TESTCONTAINERS, "DOCKER_HOST=" + dockerHost);
    }

    /** {@code GET /_ping} over HTTP/1.0; an engine answers {@code 200 OK}. */
    static Finding ping(SocketAddress address, String where) {
        try {
            String answer = address instanceof UnixDomainSocketAddress ? pingUnix(address) : pingTcp(address);
            if (answer.startsWith("HTTP/1.") && answer.contains(" 200 ")) {
                return new Finding(Verdict.ANSWERS, "Docker answers at " + where);
            }
            String firstLine = answer.lines().findFirst().orElse("nothing");
            return new Finding(Verdict.ABSENT, "no Docker: " + where + " answered " + firstLine);
        } catch (IOException e) {
            return new Finding(Verdict.ABSENT, "no Docker: " + where + " does not answer (" + e.getMessage() + ")");
        }
    }

    private static String pingTcp(SocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, PING_TIMEOUT_MILLIS);
            socket.setSoTimeout(PING_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(PING);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(512), StandardCharsets.ISO_8859_1);
        }
    }

    /** A Unix socket channel has no read timeout, so the read waits on a selector instead. */
    private static String pingUnix(SocketAddress address) throws IOException {
        try (SocketChannel channel = SocketChannel.open(address); Selector selector = Selector.open()) {
            ByteBuffer request = ByteBuffer.wrap(PING);
            while (request.hasRemaining()) {
                channel.write(request);
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer answer = ByteBuffer.allocate(512);
            long deadline = System.nanoTime() + PING_TIMEOUT_MILLIS * 1_000_000L;
            while (answer.hasRemaining()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0 || selector.select(left) == 0) {
                    break;
                }
                selector.selectedKeys().clear();
                if (channel.read(answer) < 0) {
                    break;
                }
            }
            return new String(answer.array(), 0, answer.position(), StandardCharsets.ISO_8859_1);
        }
    }
}
