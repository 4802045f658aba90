package io.secrethub.perftests;

import io.secrethub.core.InitResult;
import io.secrethub.core.SealStatus;
import io.secrethub.core.SecretHub;
import io.secrethub.core.SecretHubBuilder;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * A SecretHub instance over a test database, initialized and unsealed the way an operator does it: 3 Shamir
 * shares, any 2 of which unseal.
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

    static final int SHARES = 3;
    static final int THRESHOLD = 2;
    static final String SHARES_KEY = "secrethub.perf.unseal.shares";
    static final String ROOT_TOKEN_KEY = "secrethub.perf.root.token";

    static UnsealedHub open(DataSource dataSource, SuiteSettings settings) {
        return open(SecretHub.builder().dataSource(dataSource), settings);
    }

    /** Like {@link #open(DataSource, SuiteSettings)}, for a suite that configures the instance itself. */
    static UnsealedHub open(SecretHubBuilder builder, SuiteSettings settings) {
        SecretHub hub = builder.build();
        List<String> shares;
        String rootToken;
        if (hub.sys().status().initialized()) {
            shares = Arrays.stream(settings.required(SHARES_KEY).split(",")).map(String::trim).toList();
            rootToken = settings.required(ROOT_TOKEN_KEY);
        } else {
            InitResult init = hub.sys().initialize(SHARES, THRESHOLD);
            shares = init.shares();
            rootToken = init.rootToken();
        }
        unseal(hub, shares);
        return new UnsealedHub(hub, rootToken, List.copyOf(shares));
    }

    /** Unseals {@code hub} with exactly the threshold of {@code shares}, not all: unsealing must work with any quorum. */
    static void unseal(SecretHub hub, List<String> shares) {
        SealStatus status = null;
        for (String share : shares.subList(0, THRESHOLD)) {
            status = hub.sys().unseal(share);
        }
        if (status.sealed()) {
            hub.close();
            throw new IllegalStateException("still sealed after " + THRESHOLD + " shares: " + status);
        }
    }

    @Override
    public void close() {
        hub.close();
    }

    @Override
    public String toString() {
        return "UnsealedHub[" + hub.node() + ", rootToken=(redacted), shares=(redacted)]";
    }
}
