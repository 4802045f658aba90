package io.secrethub.core.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.SealedException;
import io.secrethub.core.audit.AuditService;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.crypto.Randoms;
import org.junit.jupiter.api.Test;

class AccessorHmacsTest {

    @Test
    void cachedFormIsTheAuditFormUnderTheSameKey() {
        AccessorHmacs hmacs = new AccessorHmacs();
        KeyMaterial key = KeyMaterial.hmacSha256(Randoms.bytes(32));
        String first = hmacs.of(key, "accessor-1");
        assertThat(first).isEqualTo(AuditService.hashAccessor(key, "accessor-1"));
        assertThat(hmacs.of(key, "accessor-1")).isSameAs(first);
        assertThat(hmacs.of(key, "accessor-2")).isEqualTo(AuditService.hashAccessor(key, "accessor-2"));
        assertThat(hmacs.size()).isEqualTo(2);
    }

    @Test
    void anotherKeyRecomputesAndASealedKeyFailsAsBefore() {
        AccessorHmacs hmacs = new AccessorHmacs();
        KeyMaterial before = KeyMaterial.hmacSha256(Randoms.bytes(32));
        KeyMaterial after = KeyMaterial.hmacSha256(Randoms.bytes(32));
        String old = hmacs.of(before, "accessor");
        String fresh = hmacs.of(after, "accessor");
        assertThat(fresh).isEqualTo(AuditService.hashAccessor(after, "accessor")).isNotEqualTo(old);
        after.destroy();
        assertThatThrownBy(() -> hmacs.of(after, "accessor")).isInstanceOf(SealedException.class);
    }
}
