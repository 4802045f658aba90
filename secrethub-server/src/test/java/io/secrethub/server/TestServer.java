package io.secrethub.server;

import io.secrethub.core.InitResult;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubBuilder;
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
    final ServerIdentity identity;

    private TestServer(SecretHub hub, SecretHubServer server, ServerIdentity identity) {
        this.hub = hub;
        this.server = server;
        this.identity = identity;
        this.caFile = identity.caFile().orElseThrow();
        this.http = new RawHttp(server.port(), caFile);
    }

    static TestServer start(DataSource db) {
        return start(db, b -> { });
    }

    static TestServer start(DataSource db, java.util.function.Consumer<SecretHubServer.Builder> settings) {
        return start(db, newIdentity(), 0, h -> { }, settings);
    }

    /** A server whose hub takes {@code hubSettings} (a rate limit, say) on top of the defaults here. */
    static TestServer withHub(DataSource db, java.util.function.Consumer<SecretHubBuilder> hubSettings) {
        return start(db, newIdentity(), 0, hubSettings, b -> { });
    }

    private static ServerIdentity newIdentity() {
        try {
            return DevTls.create("127.0.0.1", Files.createTempDirectory("secrethub-test-tls-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another instance (its own hub, not yet unsealed) with the same TLS identity, as one cluster's servers share. */
    static TestServer sibling(DataSource db, TestServer of) {
        return start(db, of.identity, 0, h -> { }, b -> { });
    }

    /**
     * Two unsealed instances of one cluster: a first on {@code db}, initialized with one share, and a sibling (same
     * TLS identity) on {@code secondDb}, which may be {@code db} itself or a wrapper of it.
     */
    static Pair pair(DataSource db, DataSource secondDb) {
        TestServer first = start(db);
        try {
            InitResult init = first.hub.sys().initialize(1, 1);
            String share = init.shares().get(0);
            first.hub.sys().unseal(share);
            TestServer second = sibling(secondDb, first);
            second.hub.sys().unseal(share);
            return new Pair(first, second, init.rootToken(), share);
        } catch (RuntimeException e) {
            first.close();
            throw e;
        }
    }

    /** What {@link #pair} started, with the root token and the unseal share; closes the second, then the first. */
    record Pair(TestServer first, TestServer second, String root, String share) implements AutoCloseable {

        @Override
        public void close() {
            try {
                second.close();
            } finally {
                first.close();
            }
        }
    }

    /** A new hub and server in place of a closed one: the same address and TLS identity, as a restarted process. */
    static TestServer restart(DataSource db, TestServer stopped, int port) {
        return start(db, stopped.identity, port, h -> { }, b -> { });
    }

    private static TestServer start(DataSource db, ServerIdentity identity, int port,
            java.util.function.Consumer<SecretHubBuilder> hubSettings,
            java.util.function.Consumer<SecretHubServer.Builder> settings) {
        SecretHubBuilder hubBuilder = SecretHub.builder().dataSource(db).tokenCacheTtl(Duration.ZERO);
        hubSettings.accept(hubBuilder);
        SecretHub hub = hubBuilder.build();
        try {
            SecretHubServer.Builder builder = SecretHubServer.builder().hub(hub)
                    .address(new ListenAddress("127.0.0.1", port)).identity(identity);
            settings.accept(builder);
            return new TestServer(hub, builder.build().start(), identity);
        } catch (RuntimeException e) {
            hub.close();
            throw e;
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
