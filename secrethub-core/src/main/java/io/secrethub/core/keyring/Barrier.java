package io.secrethub.core.keyring;

import io.secrethub.core.IntegrityException;
import io.secrethub.core.KeyStatus;
import io.secrethub.core.crypto.Aead;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.storage.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vault's barrier: everything SecretHub stores encrypted goes through here. It holds the root key
 * and the keyring (both only in memory, only while unsealed) and encrypts with the active term.
 *
 * <p>Ciphertext is {@code term || nonce || ct || tag}. Decrypting a term this instance does not know
 * yet (another instance rotated) reloads the keyring once; the maintenance task also refreshes it
 * periodically so that this instance starts encrypting with the newest term.
 */
public final class Barrier {

    /**
     * Encryptions under one term after which the next one rotates first: AES-GCM with random 96-bit nonces
     * stays within a 2^-32 collision bound for 2^32 messages per key; Vault rotates at this figure (~0.9 × 2^32),
     * leaving room for the counts other instances have not added yet.
     */
    public static final long DEFAULT_ENCRYPTIONS_PER_TERM = 3_865_470_566L;

    private static final Logger LOG = LoggerFactory.getLogger(Barrier.class);

    private final Database database;
    private final Clock clock;
    private final KeyMaterial rootKey;
    private final Object growLock = new Object();
    private final Object budgetLock = new Object();
    private volatile Keyring keyring;
    private volatile long encryptionsPerTerm = DEFAULT_ENCRYPTIONS_PER_TERM;
    private volatile TermUsage usage = new TermUsage(0, 0);

    /** Encryptions under one term: the shared total as last stored, plus this instance's since then. */
    private static final class TermUsage {
        final int term;
        volatile long stored;
        final AtomicLong local = new AtomicLong();

        TermUsage(int term, long stored) {
            this.term = term;
            this.stored = stored;
        }

        long total() {
            return stored + local.get();
        }
    }

    private Barrier(Database database, Clock clock, KeyMaterial rootKey, Keyring keyring) {
        this.database = database;
        this.clock = clock;
        this.rootKey = rootKey;
        this.keyring = keyring;
    }

    /** Sets the encryptions per term after which the barrier rotates by itself (tests set a small one). */
    public Barrier encryptionsPerTerm(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("encryptionsPerTerm must be positive");
        }
        this.encryptionsPerTerm = limit;
        return this;
    }

    /** Opens the barrier over the stored keyring; the barrier takes ownership of {@code rootKey}. */
    public static Barrier open(Database database, Clock clock, KeyMaterial rootKey) {
        Barrier barrier = new Barrier(database, clock, rootKey, Keyring.empty());
        try {
            barrier.refresh();
            if (barrier.keyring.maxTerm() == 0) {
                throw new IntegrityException("the keyring is empty: the database was not initialized correctly");
            }
            barrier.usage(barrier.keyring.active().number());
            barrier.flushEncryptions(); // learns the active term's count so far
            return barrier;
        } catch (RuntimeException e) {
            barrier.destroy();
            throw e;
        }
    }

    /**
     * A barrier over a brand-new keyring whose first term is stored by the caller (initialize)
     * with {@link #storeFirstTerm}.
     */
    public static Barrier createNew(Database database, Clock clock, KeyMaterial rootKey) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Keyring first = Keyring.empty().with(new Keyring.Term(1, KeyMaterial.randomAes(), now));
        return new Barrier(database, clock, rootKey, first);
    }

    /** Stores term 1 of a keyring made by {@link #createNew} (inside initialize's transaction). */
    public void storeFirstTerm(Connection c) throws SQLException {
        Keyring.Term term = keyring.active();
        KeyringStore.insert(c, term.number(), wrap(term.number(), term.key()), term.createdAt());
    }

    /** Encrypts with the active term, binding the ciphertext to {@code associatedData}. */
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        Keyring.Term term = keyring.active();
        if (usage(term.number()).local.incrementAndGet() + usage.stored > encryptionsPerTerm) {
            term = rotateForBudget(term.number());
            usage(term.number()).local.incrementAndGet();
        }
        return Aead.encrypt(term.key(), Aead.termPrefix(term.number()), plaintext, associatedData);
    }

    /** The usage record of {@code term}, a fresh one when the active term changed (rotation here or elsewhere). */
    private TermUsage usage(int term) {
        TermUsage current = usage;
        if (current.term == term) {
            return current;
        }
        synchronized (budgetLock) {
            if (usage.term != term) {
                usage = new TermUsage(term, 0);
            }
            return usage;
        }
    }

    /** The active term once {@code exhausted} is no longer it: rotates unless another thread already did. */
    private Keyring.Term rotateForBudget(int exhausted) {
        synchronized (budgetLock) {
            if (keyring.active().number() == exhausted) {
                flushEncryptions();
                LOG.info("keyring term {} reached {} encryptions: rotating before its nonce budget runs out",
                        exhausted, usage.total());
                rotate(next -> { });
            }
            return keyring.active();
        }
    }

    /**
     * Adds this instance's encryptions under the active term to the stored count and learns the total (every
     * instance's). Runs with each keyring refresh, on key status and before a budget rotation.
     */
    public void flushEncryptions() {
        TermUsage current = usage;
        if (current.term == 0) {
            return;
        }
        long delta = current.local.get();
        long total = database.autocommit("count keyring encryptions",
                c -> KeyringStore.addEncryptions(c, current.term, delta));
        current.local.addAndGet(-delta);
        current.stored = total;
    }

    /**
     * Decrypts what {@link #encrypt} produced under the same associated data.
     *
     * @throws IntegrityException if the ciphertext was altered, moved, or names an unknown term
     */
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        try {
            int term = Aead.termOf(ciphertext);
            KeyMaterial key = keyring.key(term);
            if (key == null) {
                refreshFor(term);
                key = keyring.key(term);
                if (key == null) {
                    throw new IntegrityException("ciphertext names keyring term " + term + ", which does not exist");
                }
            }
            return Aead.decrypt(key, ciphertext, Integer.BYTES, associatedData);
        } catch (AEADBadTagException e) {
            throw new IntegrityException("stored ciphertext failed authentication: it was altered or moved", e);
        }
    }

    /** The active term. */
    public KeyStatus keyStatus() {
        Keyring.Term term = keyring.active();
        TermUsage current = usage(term.number());
        flushEncryptions();
        return new KeyStatus(term.number(), term.createdAt(), current.total());
    }

    /**
     * Adds a term and makes it active. {@code beforeCommit} runs inside the transaction once the
     * new term is inserted (the caller audits there), so a failure in it rolls the rotation back.
     */
    public KeyStatus rotate(IntConsumer beforeCommit) {
        KeyMaterial key = KeyMaterial.randomAes();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int term;
        try {
            term = database.transaction("rotate the keyring", c -> {
                int next = KeyringStore.lockAndNextTerm(c);
                KeyringStore.insert(c, next, wrap(next, key), now);
                beforeCommit.accept(next);
                return next;
            });
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
        grow(new Keyring.Term(term, key, now));
        return keyStatus();
    }

    /** Loads terms added by other instances since this one last looked, and shares the encryption count. */
    public void refresh() {
        flushEncryptions();
        synchronized (growLock) {
            int known = keyring.maxTerm();
            List<KeyringStore.StoredTerm> stored =
                    database.autocommit("load the keyring", c -> KeyringStore.loadAfter(c, known));
            for (KeyringStore.StoredTerm s : stored) {
                grow(new Keyring.Term(s.term(), unwrap(s.term(), s.encryptedKey()), s.createdAt()));
            }
        }
    }

    /** Wipes the root key and every term. */
    public void destroy() {
        synchronized (growLock) {
            rootKey.destroy();
            keyring.destroy();
        }
    }

    /** Every key term held now (for checks that sealing wiped them). */
    public java.util.Collection<KeyMaterial> termKeys() {
        return keyring.terms().values().stream().map(Keyring.Term::key).toList();
    }

    /** The root key, to encrypt it under the unseal key at initialization. */
    public KeyMaterial rootKey() {
        return rootKey;
    }

    private void refreshFor(int term) {
        synchronized (growLock) {
            if (!keyring.contains(term)) { // another thread may have loaded it while we waited
                refresh();
            }
        }
    }

    private void grow(Keyring.Term term) {
        synchronized (growLock) {
            Keyring next = keyring.with(term);
            if (next == keyring) {
                term.key().destroy(); // a duplicate of a term we already hold
            }
            keyring = next;
        }
    }

    private byte[] wrap(int term, KeyMaterial key) {
        return key.withBytes(bytes -> Aead.encrypt(rootKey, new byte[0], bytes, termAad(term)));
    }

    private KeyMaterial unwrap(int term, byte[] encrypted) {
        try {
            return KeyMaterial.aes(Aead.decrypt(rootKey, encrypted, 0, termAad(term)));
        } catch (AEADBadTagException e) {
            throw new IntegrityException("keyring term " + term + " failed authentication under the root key", e);
        }
    }

    private static byte[] termAad(int term) {
        return ("secrethub:keyring:" + term).getBytes(StandardCharsets.UTF_8);
    }
}
