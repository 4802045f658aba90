package io.secrethub.core.seal;

import io.secrethub.core.crypto.Randoms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.crypto.threshold.ShamirSecretSplitter;
import org.bouncycastle.crypto.threshold.ShamirSplitSecret;
import org.bouncycastle.crypto.threshold.ShamirSplitSecretShare;

/**
 * Shamir secret sharing over GF(256), from BouncyCastle. A share is the polynomial's value at its
 * x-coordinate (1 … n), one byte per secret byte; BouncyCastle does not encode the coordinate in the
 * share bytes, so {@link UnsealShare} carries it.
 */
final class ShamirScheme {

    private ShamirScheme() {
    }

    /** Splits {@code secret}; element {@code i} of the result is the share at x = i + 1. */
    static List<byte[]> split(byte[] secret, int threshold, int shares) {
        ShamirSecretSplitter splitter = ShamirSecretSplitter.getInstance(
                ShamirSecretSplitter.Algorithm.AES, secret.length, Randoms.secureRandom());
        ShamirSplitSecretShare[] split = splitter.resplit(secret, threshold, shares).getSecretShares();
        List<byte[]> values = new ArrayList<>(split.length);
        try {
            for (ShamirSplitSecretShare share : split) {
                values.add(share.getEncoded());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /**
     * Interpolates the secret from {@code threshold} shares with distinct x-coordinates. Any such set
     * yields <em>some</em> value: whether it is the right one is for the caller to verify.
     */
    static byte[] combine(Map<Integer, byte[]> sharesByX) {
        ShamirSplitSecretShare[] shares = sharesByX.entrySet().stream()
                .map(e -> new ShamirSplitSecretShare(e.getValue(), e.getKey()))
                .toArray(ShamirSplitSecretShare[]::new);
        try {
            return ShamirSplitSecret.getInstance(ShamirSecretSplitter.Algorithm.AES, shares).getSecret();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
