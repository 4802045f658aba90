package io.secrethub.perftests;

import io.secrethub.core.InitResult;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubBuilder;
import io.secrethub.core.testing.Unsealing;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * A SecretHub instance over a test database, initialized and unsealed the way an operator does it: 3 Shamir
 * shares, any 2 of which unseal (core's test fixture {@link Unsealing} does both, as for core's own tests).
 *
 * <p>{@code @PostgresDatabase} hands every class a fresh database, so normally this initializes it. A database
 * that is already initialized (a reused one, {@code -Dsecrethub.db.url=…} on a kept database) cannot be
 * unsealed without its shares: they are then read from the settings {@value #SHARES_KEY} (comma separated) and
 * {@value #ROOT_TOKEN_KEY}, since initialization hands them out only once.
 *
 * @param hub the unsealed instance; close it to seal it and stop its audit writer
 * @param rootToken the root token, for set-up only: the measured work runs with tokens under ordinary policies
 * @param shares the unseal key shares, for suites that start more instances on the same database
 */
record UnsealedHub(SecretHub hub, String rootToken, List<String> shares) implements AutoCloseable {

    static final String SHARES_KEY = "secrethub.perf.unseal.shares";
    static final String ROOT_TOKEN_KEY = "secrethub.perf.root.token";
    /**
     * The instance's {@link SecretHubBuilder#maxConcurrentRequests} (0: no limit), to compare its queue with none;
     * unset, the builder's default for the pool.
     */
    static final String MAX_CONCURRENT_REQUESTS_KEY = "secrethub.maxConcurrentRequests";

    static UnsealedHub open(DataSource dataSource, SuiteSettings settings) {
        return open(SecretHub.builder().dataSource(dataSource), settings);
    }

    /** Like {@link #open(DataSource, SuiteSettings)}, for a suite that configures the instance itself. */
    static UnsealedHub open(SecretHubBuilder builder, SuiteSettings settings) {
        settings.nonNegativeInt(MAX_CONCURRENT_REQUESTS_KEY).ifPresent(builder::maxConcurrentRequests);
        SecretHub hub = builder.build();
        try {
            if (hub.sys().status().initialized()) {
                List<String> shares = Arrays.stream(settings.required(SHARES_KEY).split(",")).map(String::trim)
                        .toList();
                Unsealing.unseal(hub, shares);
                return new UnsealedHub(hub, settings.required(ROOT_TOKEN_KEY), List.copyOf(shares));
            }
            InitResult init = Unsealing.initialize(hub);
            return new UnsealedHub(hub, init.rootToken(), List.copyOf(init.shares()));
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    /** Unseals another instance on the same database with a quorum of {@code shares} (core's test fixture). */
    static void unseal(SecretHub hub, List<String> shares) {
        Unsealing.unseal(hub, shares);
    }

    @Override
    public void close() {
        hub.close();
    }

    /**
     * Closes {@code vault}, then, even if that failed, what it ran on ({@code after} in order: its pool, its own
     * database); what set-up never reached (null) is passed over. For a suite's {@code @AfterAll}.
     */
    static void close(UnsealedHub vault, AutoCloseable... after) throws Exception {
        try {
            if (vault != null) {
                vault.close();
            }
        } finally {
            for (AutoCloseable resource : after) {
                if (resource != null) {
                    resource.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "UnsealedHub[" + hub.node() + ", rootToken=(redacted), shares=(redacted)]";
    }
}
