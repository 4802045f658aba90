package io.secrethub.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.secrethub.core.testing.HubFixture;
import io.secrethub.core.testing.UnsealedHub;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins are group-committed, so one login whose statement fails aborts its whole batch. The others in that batch
 * must not fail with it: they are retried one by one. A trigger makes every token of role {@code poison} fail to
 * insert, and good and poisoned logins race so that they share batches.
 */
@UnsealedHub(poolSize = 8)
class LoginBatchFailureTest {

    private static final int LOGINS = 48;

    static SecretHub hub;
    static String root;

    @BeforeAll
    static void setUp(HubFixture fixture) throws Exception {
        hub = fixture.hub();
        root = fixture.rootToken();
        try (Connection c = fixture.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN IF NEW.display_name = 'approle:poison' THEN RAISE EXCEPTION 'poisoned login'; END IF;"
                    + " RETURN NEW; END $$");
            s.execute("CREATE TRIGGER poison BEFORE INSERT ON tokens FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        }
    }

    @Test
    void aFailingLoginDoesNotFailTheOthersInItsBatch() throws Exception {
        String[] good = credentials("good");
        String[] poison = credentials("poison");
        ExecutorService pool = Executors.newFixedThreadPool(LOGINS);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < LOGINS; i++) {
                String[] login = i % 4 == 0 ? poison : good;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return hub.auth().appRole().login(login[0], login[1], null).token();
                    } catch (StorageException expected) {
                        return null;
                    }
                }));
            }
            start.countDown();
            int admitted = 0;
            int failed = 0;
            for (int i = 0; i < LOGINS; i++) {
                String token = outcomes.get(i).get(60, TimeUnit.SECONDS);
                if (i % 4 == 0) {
                    assertThat(token).as("a poisoned login").isNull();
                    failed++;
                } else {
                    assertThat(token).as("good login %d, batched with poisoned ones", i).isNotNull();
                    assertThat(hub.auth().tokens().lookup(token).policies()).contains("default");
                    admitted++;
                }
            }
            assertThat(admitted).isEqualTo(LOGINS - LOGINS / 4);
            assertThat(failed).isEqualTo(LOGINS / 4);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String[] credentials(String role) {
        hub.auth().appRole().writeRole(root, role, AppRoleSettings.builder().build());
        return new String[] {hub.auth().appRole().roleId(root, role),
                hub.auth().appRole().generateSecretId(root, role).secretId()};
    }
}
