package io.secrethub.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.SealedException;
import java.nio.charset.StandardCharsets;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

class KeyMaterialTest {

    @Test
    void destroyZeroesTheBytesAndRefusesEveryLaterUse() {
        KeyMaterial key = KeyMaterial.randomAes();
        byte[] owned = key.withBytes(bytes -> bytes); // the test peeks at the array the key owns
        assertThat(owned).isNotEqualTo(new byte[32]);
        key.destroy();
        assertThat(owned).isEqualTo(new byte[32]);
        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(() -> Aead.encrypt(key, new byte[0], new byte[1], new byte[0]))
                .isInstanceOf(SealedException.class);
        assertThatThrownBy(key::mac).isInstanceOf(SealedException.class);
        assertThatThrownBy(() -> key.withBytes(b -> b)).isInstanceOf(SealedException.class);
        key.destroy(); // idempotent
    }

    @Test
    void aeadBindsAssociatedDataAndDetectsTampering() throws Exception {
        KeyMaterial key = KeyMaterial.randomAes();
        byte[] plaintext = "value".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Aead.encrypt(key, Aead.termPrefix(7), plaintext, "path:1".getBytes(StandardCharsets.UTF_8));
        assertThat(Aead.termOf(sealed)).isEqualTo(7);
        assertThat(sealed).hasSize(4 + Aead.OVERHEAD + plaintext.length);
        assertThat(Aead.decrypt(key, sealed, 4, "path:1".getBytes(StandardCharsets.UTF_8))).isEqualTo(plaintext);
        assertThatThrownBy(() -> Aead.decrypt(key, sealed, 4, "path:2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AEADBadTagException.class);
        byte[] again = Aead.encrypt(key, Aead.termPrefix(7), plaintext, "path:1".getBytes(StandardCharsets.UTF_8));
        assertThat(again).as("a fresh nonce every time").isNotEqualTo(sealed);
        assertThatThrownBy(()
                -> Aead.decrypt(KeyMaterial.randomAes(), sealed, 4, "path:1".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void hkdfGivesIndependentKeysPerPurpose() {
        KeyMaterial input = KeyMaterial.hmacSha256(Randoms.bytes(32));
        byte[] a = Hmacs.hmac(Hkdf.derive(input, "a"), new byte[1]);
        byte[] a2 = Hmacs.hmac(Hkdf.derive(input, "a"), new byte[1]);
        byte[] b = Hmacs.hmac(Hkdf.derive(input, "b"), new byte[1]);
        assertThat(a).isEqualTo(a2).isNotEqualTo(b);
    }
}
