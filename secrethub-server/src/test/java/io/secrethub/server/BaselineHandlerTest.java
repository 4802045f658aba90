package io.secrethub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.ServerIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** {@code baseline(handler)}: the same TLS and HTTP set-up in front of a fixed answer, with no hub behind it. */
class BaselineHandlerTest {

    @Test
    void servesTheBaselineHandlerOverTheSameTlsInsteadOfTheApi() throws Exception {
        Path tls = Files.createTempDirectory("secrethub-baseline-tls-");
        ServerIdentity identity = DevTls.create("127.0.0.1", tls);
        Handler fixed = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "x".repeat(200), callback);
                return true;
            }
        };
        try (SecretHubServer server = SecretHubServer.builder().baseline(fixed).identity(identity)
                .address(new ListenAddress("127.0.0.1", 0)).build().start()) {
            RawHttp http = new RawHttp(server.port(), identity.caFile().orElseThrow());

            RawHttp.Answer answer = http.get("/v1/sys/health", null);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("x".repeat(200));
            assertThat(server.hub()).isNull();
        }
    }

    @Test
    void theApiStillNeedsAHub() throws Exception {
        ServerIdentity identity = DevTls.create("127.0.0.1", Files.createTempDirectory("secrethub-baseline-tls-"));
        assertThatThrownBy(() -> SecretHubServer.builder().identity(identity).build())
                .isInstanceOf(NullPointerException.class).hasMessage("hub");
    }
}
