package io.secrethub.server;

import io.secrethub.core.InitResult;
import io.secrethub.core.SecretHub;
import io.secrethub.server.tls.DevTls;
import io.secrethub.server.tls.ServerIdentity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;

/** A real server on a free loopback port with development TLS, in front of a real hub on the test's database. */
final class TestServer implements AutoCloseable {

    final SecretHub hub;
    final SecretHubServer server;
    final Path caFile;
    final RawHttp http;

    private TestServer(SecretHub hub, SecretHubServer server, Path caFile) {
        this.hub = hub;
        this.server = server;
        this.caFile = caFile;
        this.http = new RawHttp(server.port(), caFile);
    }

    static TestServer start(DataSource db) {
        return start(db, b -> { });
    }

    static TestServer start(DataSource db, java.util.function.Consumer<SecretHubServer.Builder> settings) {
        SecretHub hub = SecretHub.builder().dataSource(db).tokenCacheTtl(Duration.ZERO).build();
        try {
            ServerIdentity identity = DevTls.create("127.0.0.1", Files.createTempDirectory("secrethub-test-tls-"));
            SecretHubServer.Builder builder = SecretHubServer.builder().hub(hub)
                    .address(new ListenAddress("127.0.0.1", 0)).identity(identity);
            settings.accept(builder);
            SecretHubServer server = builder.build().start();
            return new TestServer(hub, server, identity.caFile().orElseThrow());
        } catch (IOException e) {
            hub.close();
            throw new UncheckedIOException(e);
        }
    }

    /** Initializes (1 share) and unseals directly through the hub; returns the root token. */
    String initializeAndUnseal() {
        InitResult init = hub.sys().initialize(1, 1);
        hub.sys().unseal(init.shares().get(0));
        return init.rootToken();
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            hub.close();
        }
    }
}
