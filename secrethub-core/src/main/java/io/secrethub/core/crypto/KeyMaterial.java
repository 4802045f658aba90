package io.secrethub.core.crypto;

import io.secrethub.core.SealedException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A symmetric key whose bytes this object alone owns, so that sealing can zero them.
 *
 * <p>Keys are only ever handed to the JCE inside {@link #cipher}/{@link #mac}, under a read lock;
 * {@link #destroy()} takes the write lock, so no caller can observe a half-zeroed key (which would
 * silently encrypt under a weak key). After destruction every use throws {@link SealedException}.
 *
 * <p>Java cannot guarantee erasure: the JCE's own transient copies (the {@code SecretKeySpec} clone and
 * the expanded AES schedule of a {@code Cipher}) become garbage we cannot zero. We keep those copies
 * short-lived by never caching initialized {@code Cipher} or {@code Mac} objects.
 */
public final class KeyMaterial {

    /** AES-256 and HMAC-SHA256 keys are both 32 bytes. */
    public static final int KEY_BYTES = 32;

    private static final String HMAC = "HmacSHA256";

    /**
     * The provider the JCE chose for each transformation the first time, asked for by name afterwards: the
     * search through every provider's services was a quarter of the time (and of the bytes) of a GCM decrypt
     * plus an HMAC, the two per-read crypto steps (issue 14). Only the provider is kept, never a keyed object.
     */
    private static final ConcurrentHashMap<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private final byte[] bytes;
    private final String algorithm;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean destroyed;

    private KeyMaterial(byte[] bytes, String algorithm) {
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("key must be " + KEY_BYTES + " bytes, was " + bytes.length);
        }
        this.bytes = bytes;
        this.algorithm = algorithm;
    }

    /** A fresh random AES-256 key. */
    public static KeyMaterial randomAes() {
        return new KeyMaterial(Randoms.bytes(KEY_BYTES), "AES");
    }

    /** Takes ownership of {@code bytes} (the caller must not keep or reuse them) as an AES-256 key. */
    public static KeyMaterial aes(byte[] bytes) {
        return new KeyMaterial(bytes, "AES");
    }

    /** Takes ownership of {@code bytes} (the caller must not keep or reuse them) as an HMAC-SHA256 key. */
    public static KeyMaterial hmacSha256(byte[] bytes) {
        return new KeyMaterial(bytes, "HmacSHA256");
    }

    /** A cipher initialized with this key, for one operation. */
    public Cipher cipher(String transformation, int mode, AlgorithmParameterSpec params) {
        lock.readLock().lock();
        try {
            checkLive();
            Provider provider = PROVIDERS.get(transformation);
            Cipher cipher = provider != null ? Cipher.getInstance(transformation, provider)
                    : Cipher.getInstance(transformation);
            if (provider == null) {
                PROVIDERS.putIfAbsent(transformation, cipher.getProvider());
            }
            cipher.init(mode, new SecretKeySpec(bytes, algorithm), params);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot provide " + transformation, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** An HMAC-SHA256 initialized with this key, for one computation. */
    public Mac mac() {
        lock.readLock().lock();
        try {
            checkLive();
            Provider provider = PROVIDERS.get(HMAC);
            Mac mac = provider != null ? Mac.getInstance(HMAC, provider) : Mac.getInstance(HMAC);
            if (provider == null) {
                PROVIDERS.putIfAbsent(HMAC, mac.getProvider());
            }
            mac.init(new SecretKeySpec(bytes, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot provide HmacSHA256", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Lends the raw bytes to {@code use} (e.g. to encrypt this key under another one). {@code use} must
     * not keep them.
     */
    public <T> T withBytes(Function<byte[], T> use) {
        lock.readLock().lock();
        try {
            checkLive();
            return use.apply(bytes);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Zeroes the key; every later use throws {@link SealedException}. Idempotent. */
    public void destroy() {
        lock.writeLock().lock();
        try {
            Arrays.fill(bytes, (byte) 0);
            destroyed = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isDestroyed() {
        lock.readLock().lock();
        try {
            return destroyed;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkLive() {
        if (destroyed) {
            throw new SealedException("SecretHub was sealed: keys are wiped from memory");
        }
    }

    @Override
    public String toString() {
        return "KeyMaterial[" + algorithm + (destroyed ? ", destroyed" : "") + "]";
    }
}
