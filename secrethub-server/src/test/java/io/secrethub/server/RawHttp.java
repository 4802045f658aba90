package io.secrethub.server;

import io.secrethub.server.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.jr.ob.JSON;

/**
 * Raw HTTP exchanges with the server, through the JDK's client (not SecretHubClient), so tests see exactly
 * the status, headers and body a stock Vault client would.
 */
final class RawHttp {

    /** One answer: status and body text (parsed on demand). */
    record Answer(int status, String body, HttpResponse<String> response) {

        Map<String, Object> json() {
            try {
                return JSON.std.mapFrom(body);
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> data() {
            return (Map<String, Object>) json().get("data");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final int port;
    private final HttpClient client;

    RawHttp(int port, Path caFile) {
        this.port = port;
        this.client = HttpClient.newBuilder().sslContext(trusting(caFile)).version(HttpClient.Version.HTTP_1_1).build();
    }

    static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    Answer send(String method, String path, String token, Object body) {
        return send(method, path, token, body, "application/json");
    }

    Answer send(String method, String path, String token, Object body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        String text = body == null ? null : body instanceof String s ? s : Json.write(body);
        if (text != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(text));
        return exchange(request.build());
    }

    /**
     * Sends once more when the pooled keep-alive connection turned out to be closed before the request reached the
     * server: after answering an error without reading the request's body (a 405 to a PATCH), the server closes the
     * connection, and the JDK client may already have picked it for the next request. It retries idempotent methods
     * itself, but not LIST. Nothing was answered, so sending again is what any client does.
     */
    private Answer answer(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return new Answer(response.statusCode(), response.body(), response);
    }

    /** A bodiless request with one extra header. */
    Answer sendWithHeader(String method, String path, String header, String value) {
        return exchange(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).header(header, value)
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    private Answer exchange(HttpRequest request) {
        try {
            return answer(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer get(String path, String token) {
        return send("GET", path, token, null);
    }

    Answer post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }
}
