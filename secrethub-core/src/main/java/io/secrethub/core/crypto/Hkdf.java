package io.secrethub.core.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869, BouncyCastle): independent sub-keys from one stored key, one per purpose. */
public final class Hkdf {

    private Hkdf() {
    }

    /** A 32-byte key for {@code purpose} derived from {@code inputKey}. */
    public static KeyMaterial derive(KeyMaterial inputKey, String purpose) {
        byte[] out = new byte[KeyMaterial.KEY_BYTES];
        inputKey.withBytes(ikm -> {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(ikm, null, purpose.getBytes(StandardCharsets.UTF_8)));
            hkdf.generateBytes(out, 0, out.length);
            return null;
        });
        return KeyMaterial.hmacSha256(out);
    }
}
