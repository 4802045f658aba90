package io.secrethub.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** HMAC-SHA256 helpers and constant-time comparison. */
public final class Hmacs {

    private static final HexFormat HEX = HexFormat.of();

    private Hmacs() {
    }

    public static byte[] hmac(KeyMaterial key, byte[] data) {
        return key.mac().doFinal(data);
    }

    /** HMAC-SHA256 of the UTF-8 bytes of {@code text}, in lowercase hex. */
    public static String hmacHex(KeyMaterial key, String text) {
        return HEX.formatHex(hmac(key, text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Constant-time equality, so a comparison leaks nothing through its timing. */
    public static boolean equal(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
