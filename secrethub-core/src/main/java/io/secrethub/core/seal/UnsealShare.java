package io.secrethub.core.seal;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.crypto.KeyMaterial;
import java.util.Arrays;
import java.util.Base64;

/**
 * One unseal key share as handed to an operator: unpadded base64url of
 * {@code share-set id (4) || x-coordinate (1) || share value (32)}.
 *
 * <p>The share-set id is random per initialization and stored in the seal configuration; it lets
 * unseal refuse a share of another SecretHub at once rather than at the threshold. It is framing,
 * not security: the reconstructed key is still verified cryptographically.
 */
record UnsealShare(byte[] setId, int x, byte[] value) {

    static final int SET_ID_BYTES = 4;
    static final int ENCODED_BYTES = SET_ID_BYTES + 1 + KeyMaterial.KEY_BYTES;

    String encode() {
        byte[] raw = new byte[ENCODED_BYTES];
        System.arraycopy(setId, 0, raw, 0, SET_ID_BYTES);
        raw[SET_ID_BYTES] = (byte) x;
        System.arraycopy(value, 0, raw, SET_ID_BYTES + 1, value.length);
        String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Arrays.fill(raw, (byte) 0);
        return text;
    }

    /** @throws InvalidRequestException if {@code text} is not a share at all */
    static UnsealShare decode(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("unseal share is empty");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("unseal share is not valid base64url text; unseal progress was kept");
        }
        try {
            if (raw.length != ENCODED_BYTES) {
                throw new InvalidRequestException("unseal share has the wrong length (" + raw.length
                        + " bytes, expected "
                        + ENCODED_BYTES + "); unseal progress was kept");
            }
            int x = raw[SET_ID_BYTES] & 0xFF;
            if (x == 0) {
                throw new InvalidRequestException("unseal share has x-coordinate 0, which no share has; unseal "
                        + "progress was kept");
            }
            return new UnsealShare(Arrays.copyOfRange(raw, 0, SET_ID_BYTES), x,
                    Arrays.copyOfRange(raw, SET_ID_BYTES + 1, ENCODED_BYTES));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    void wipe() {
        Arrays.fill(value, (byte) 0);
    }

    @Override
    public String toString() {
        return "UnsealShare[x=" + x + ", value=(redacted)]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnsealShare s && x == s.x && Arrays.equals(setId, s.setId) && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return x;
    }
}
