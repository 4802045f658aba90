package io.secrethub.core;

import io.secrethub.core.runtime.HubInternals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.secrethub.core.testing.Pools;
import io.secrethub.core.testing.Unsealing;
import io.secrethub.perf.db.PostgresDatabase;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@PostgresDatabase
class SealTest {

    static SecretHub hub;
    static InitResult init;
    /** Another SecretHub, initialized with a single share, in a schema of its own. */
    static HikariDataSource otherPool;
    static SecretHub other;
    static InitResult otherInit;

    @BeforeAll
    static void initialize(DataSource db) throws SQLException {
        hub = SecretHub.builder().dataSource(db).build();
        assertThat(hub.sys().status()).isEqualTo(new SealStatus(true, 0, 0, 0, false));
        init = hub.sys().initialize(3, 2);
        assertThat(hub.sys().status()).as("initialize leaves the instance sealed")
                .isEqualTo(new SealStatus(true, 2, 3, 0, true));
        otherPool = Pools.inOwnSchema(db, "other_initialization", 4);
        other = SecretHub.builder().dataSource(otherPool).build();
        otherInit = other.sys().initialize(1, 1);
    }

    @AfterAll
    static void close() {
        hub.close();
        other.close();
        otherPool.close();
    }

    @Test
    void initializeHandsOutDistinctSharesAndARootTokenOnce() {
        assertThat(init.shares()).hasSize(3).doesNotHaveDuplicates();
        assertThat(init.rootToken()).startsWith("shs.");
        assertThat(init.toString()).doesNotContain(init.rootToken()).doesNotContain(init.shares().get(0));
        assertThatThrownBy(() -> hub.sys().initialize(3, 2))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("already initialized");
    }

    @ParameterizedTest(name = "shares {0}, threshold {1}")
    @CsvSource({"0,1", "256,2", "3,4", "3,1", "2,1", "5,0", "-1,-1"})
    void initializeRefusesBadParameters(int shares, int threshold) {
        assertThatThrownBy(() -> hub.sys().initialize(shares, threshold)).isInstanceOf(InvalidRequestException.class)
                .hasMessageNotContaining("already");
    }

    @Test
    void everyOrderedPairOfSharesUnseals() {
        for (int first = 0; first < 3; first++) {
            for (int second = 0; second < 3; second++) {
                if (first == second) {
                    continue;
                }
                hub.sys().seal(init.rootToken());
                SealStatus halfway = hub.sys().unseal(init.shares().get(first));
                assertThat(halfway).isEqualTo(new SealStatus(true, 2, 3, 1, true));
                SealStatus open = hub.sys().unseal(init.shares().get(second));
                assertThat(open.sealed()).as("shares %d then %d", first + 1, second + 1).isFalse();
                assertThat(open.progress()).isZero();
                // the key is right, not merely "a" key: data written under any pair reads back
                hub.secrets().write(init.rootToken(), "pairs/p" + first + second, Map.of("k", "v" + first + second));
                assertThat(hub.secrets().read(init.rootToken(), "pairs/p" + first + second).data())
                        .containsEntry("k", "v" + first + second);
            }
        }
        assertThat(hub.secrets().list(init.rootToken(), "pairs")).hasSize(6);
    }

    @Test
    void aWrongShareIsDetectedAtTheThresholdAndResetsProgress() {
        hub.sys().seal(init.rootToken());
        hub.sys().unseal(init.shares().get(0));
        String corrupted = flipLastByte(init.shares().get(1));
        assertThatThrownBy(() -> hub.sys().unseal(corrupted))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("do not reconstruct the unseal key")
                .hasMessageContaining("reset");
        assertThat(hub.sys().status()).extracting(SealStatus::sealed, SealStatus::progress).containsExactly(true, 0);
        assertThatThrownBy(() -> hub.secrets().read(init.rootToken(), "pairs/p01")).isInstanceOf(SealedException.class);
        Unsealing.unseal(hub, init.shares());
    }

    @Test
    void aShareOfAnotherInitializationIsRefusedAtOnceAndKeepsProgress() {
        String foreign = otherInit.shares().get(0);
        hub.sys().seal(init.rootToken());
        hub.sys().unseal(init.shares().get(0));
        assertThatThrownBy(() -> hub.sys().unseal(foreign))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("different SecretHub initialization").hasMessageContaining("kept");
        assertThat(hub.sys().status().progress()).as("an unauthenticated caller cannot undo valid shares").isEqualTo(1);
        assertThat(hub.sys().unseal(init.shares().get(1)).sealed()).isFalse();
    }

    @Test
    void theSameShareTwiceCountsOnceAndKeepsProgress() {
        hub.sys().seal(init.rootToken());
        hub.sys().unseal(init.shares().get(2));
        assertThat(hub.sys().unseal(init.shares().get(2))).isEqualTo(new SealStatus(true, 2, 3, 1, true));
        assertThat(hub.sys().unseal(init.shares().get(0)).sealed()).isFalse();
    }

    @Test
    void anotherValueForAShareNumberAlreadyGivenIsRefusedAndKeepsProgress() {
        hub.sys().seal(init.rootToken());
        hub.sys().unseal(init.shares().get(0));
        String forged = flipLastByte(init.shares().get(0));
        String missing = withShareNumber(init.shares().get(1), 9);
        assertThatThrownBy(() -> hub.sys().unseal(forged)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("already provided").hasMessageContaining("kept");
        assertThatThrownBy(() -> hub.sys().unseal(missing)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("kept");
        assertThat(hub.sys().status()).extracting(SealStatus::sealed, SealStatus::progress).containsExactly(true, 1);
        assertThat(hub.sys().unseal(init.shares().get(1)).sealed()).isFalse();
    }

    @Test
    void sealNeedsSudoOnSysSeal() {
        Unsealing.unseal(hub, init.shares());
        hub.policies().write(init.rootToken(), io.secrethub.core.policy.Policy.builder("sealer-without-sudo")
                .path("sys/seal", io.secrethub.core.policy.Capability.UPDATE).build());
        String weak = HubInternals.tokens(hub).create(new io.secrethub.core.token.TokenSpec(
                List.of("sealer-without-sudo"), "test", java.time.Duration.ofHours(1), null, null)).token();
        assertThatThrownBy(() -> hub.sys().seal(weak)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> hub.sys().seal("shs.not-a-token")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> hub.sys().seal(null)).isInstanceOf(InvalidTokenException.class);
        assertThat(hub.sys().status().sealed()).isFalse();
        hub.sys().seal(init.rootToken());
        assertThat(hub.sys().status().sealed()).isTrue();
        Unsealing.unseal(hub, init.shares());
    }

    @Test
    void aMalformedShareIsRefusedButKeepsProgress() {
        hub.sys().seal(init.rootToken());
        hub.sys().unseal(init.shares().get(0));
        for (String bad : List.of("", "not base64 !", "AAAA", init.shares().get(1) + "AA")) {
            assertThatThrownBy(() -> hub.sys().unseal(bad)).isInstanceOf(InvalidRequestException.class);
        }
        hub.sys().seal("shs.anybody"); // sealed: nothing to do, and an unauthenticated call must not reset progress
        assertThat(hub.sys().status().progress()).isEqualTo(1);
        assertThat(hub.sys().unseal(init.shares().get(1)).sealed()).isFalse();
    }

    @Test
    void unsealingAnUnsealedInstanceIsHarmless() {
        Unsealing.unseal(hub, init.shares());
        assertThat(hub.sys().unseal(init.shares().get(0))).isEqualTo(new SealStatus(false, 2, 3, 0, true));
    }

    @Test
    void sealWipesTheKeys() {
        Unsealing.unseal(hub, init.shares());
        hub.sys().rotate(init.rootToken()); // so there is more than one term to wipe
        io.secrethub.core.keyring.CoreKeys held = HubInternals.keys(hub).current();
        hub.sys().seal(init.rootToken());
        assertThat(held.barrier().rootKey().isDestroyed()).isTrue();
        assertThat(held.barrier().termKeys()).hasSizeGreaterThan(1)
                .allSatisfy(k -> assertThat(k.isDestroyed()).isTrue());
        assertThat(List.of(held.system().tokenHash(), held.system().auditAccessor(), held.system().auditChain()))
                .allSatisfy(k -> assertThat(k.isDestroyed()).isTrue());
        assertThat(hub.sys().status().sealed()).isTrue();
        assertThatThrownBy(() -> hub.secrets().read(init.rootToken(), "pairs/p01")).isInstanceOf(SealedException.class);
        hub.sys().seal(init.rootToken()); // idempotent
        Unsealing.unseal(hub, init.shares());
    }

    @Test
    void oneShareOfOneUnsealsAlone() {
        other.sys().seal(init.rootToken());
        assertThat(other.sys().status()).isEqualTo(new SealStatus(true, 1, 1, 0, true));
        assertThat(other.sys().unseal(otherInit.shares().get(0)).sealed()).isFalse();
        other.secrets().write(otherInit.rootToken(), "solo", Map.of("k", "v"));
        assertThat(other.secrets().read(otherInit.rootToken(), "solo").data()).containsEntry("k", "v");
    }

    static String withShareNumber(String share, int x) {
        byte[] raw = Base64.getUrlDecoder().decode(share);
        raw[4] = (byte) x;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String flipLastByte(String share) {
        byte[] raw = Base64.getUrlDecoder().decode(share);
        raw[raw.length - 1] ^= 0x01;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
