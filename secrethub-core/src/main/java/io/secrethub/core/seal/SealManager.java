package io.secrethub.core.seal;

import io.secrethub.core.AuditOutcome;
import io.secrethub.core.InitResult;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.SealStatus;
import io.secrethub.core.SealedException;
import io.secrethub.core.access.Operation;
import io.secrethub.core.audit.AuditEntry;
import io.secrethub.core.audit.AuditWriter;
import io.secrethub.core.crypto.Aead;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.crypto.Randoms;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.keyring.CoreKeys;
import io.secrethub.core.keyring.KeySource;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.SystemKeyEntry;
import io.secrethub.core.keyring.SystemEntries;
import io.secrethub.core.keyring.SystemKeys;
import io.secrethub.core.storage.Database;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import io.secrethub.core.token.TokenStore;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.AEADBadTagException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seal state of this instance and the key hierarchy's entry point:
 * shares → unseal key → root key → keyring → everything else.
 *
 * <p>While sealed, {@link #current()} throws {@link SealedException}, which is how every other
 * component refuses to work. Unsealing reconstructs the unseal key only once the threshold is
 * reached and verifies it by decrypting the stored root key (AES-GCM): a wrong or foreign share
 * fails the tag, so a wrong key is never used. Sealing drops the keys and zeroes them.
 */
public final class SealManager implements KeySource {

    private static final Logger LOG = LoggerFactory.getLogger(SealManager.class);
    private static final byte[] ROOT_KEY_AAD = "secrethub:root-key".getBytes(StandardCharsets.UTF_8);
    private static final Duration SEAL_FLUSH = Duration.ofSeconds(5);

    /** Advisory lock key of the one-time row MAC backfill ("shrowmac"). */
    private static final long ROW_BACKFILL_LOCK = 0x7368726f776d6163L;

    private final List<RowBackfill> rowBackfills;
    private final long encryptionsPerTerm;
    private final Database database;
    private final Clock clock;
    private final AuditWriter audit;
    private final String node;
    private final List<Runnable> sealListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private final UnsealProgress progress = new UnsealProgress();
    private volatile CoreKeys keys;
    private volatile SealConfig config; // cached once read: it never changes after initialization

    /**
     * @param rowBackfills what authenticates the rows written before row MACs, on the first unseal after
     * @param encryptionsPerTerm encryptions under one keyring term after which the barrier rotates by itself
     */
    public SealManager(Database database, Clock clock, AuditWriter audit, String node, List<RowBackfill> rowBackfills,
            long encryptionsPerTerm) {
        this.rowBackfills = List.copyOf(rowBackfills);
        this.encryptionsPerTerm = encryptionsPerTerm;
        this.database = database;
        this.clock = clock;
        this.audit = audit;
        this.node = node;
    }

    @Override
    public CoreKeys current() {
        CoreKeys current = keys;
        if (current == null) {
            throw new SealedException("SecretHub is sealed: unseal this instance with the key shares");
        }
        return current;
    }

    /** Runs {@code listener} whenever this instance seals (e.g. to drop caches). */
    public void onSeal(Runnable listener) {
        sealListeners.add(listener);
    }

    public SealStatus status() {
        Optional<SealConfig> stored = config();
        if (stored.isEmpty()) {
            return new SealStatus(true, 0, 0, 0, false);
        }
        synchronized (lock) {
            return status(stored.get());
        }
    }

    public InitResult initialize(int shares, int threshold) {
        validate(shares, threshold);
        if (config().isPresent()) {
            throw alreadyInitialized();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        byte[] setId = Randoms.bytes(UnsealShare.SET_ID_BYTES);
        KeyMaterial unsealKey = KeyMaterial.randomAes();
        Barrier barrier = Barrier.createNew(database, clock, KeyMaterial.randomAes());
        byte[] systemKeyBytes = Randoms.bytes(KeyMaterial.KEY_BYTES);
        SystemKeys system = SystemKeys.derive(KeyMaterial.hmacSha256(systemKeyBytes.clone()));
        List<byte[]> shareValues = List.of();
        try {
            shareValues = unsealKey.withBytes(key -> ShamirScheme.split(key, threshold, shares));
            byte[] encryptedRoot = barrier.rootKey().withBytes(
                    root -> Aead.encrypt(unsealKey, new byte[0], root, ROOT_KEY_AAD));
            SealConfig created = new SealConfig(shares, threshold, setId, encryptedRoot, now);
            IssuedToken root = database.transaction("initialize SecretHub", c -> {
                try {
                    created.insert(c);
                } catch (SQLException e) {
                    if (Database.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw alreadyInitialized(); // another instance initialized concurrently
                    }
                    throw e;
                }
                barrier.storeFirstTerm(c);
                byte[] entry = SystemKeyEntry.encode(systemKeyBytes);
                try {
                    SystemEntries.put(c, barrier, SystemKeys.ENTRY, entry, now);
                } finally {
                    Arrays.fill(entry, (byte) 0);
                }
                return TokenStore.insert(c, system, TokenSpec.root(), now);
            });
            config = created;
            List<String> encoded = new ArrayList<>(shares);
            for (int i = 0; i < shareValues.size(); i++) {
                encoded.add(new UnsealShare(setId, i + 1, shareValues.get(i)).encode());
            }
            // After the commit, and best effort: the shares must reach the operator whatever happens to
            // the audit log, and a record chained before the commit could outlive a failed commit.
            auditLifecycle(Operation.SYS_INITIALIZE, system, "shares=" + shares + " threshold=" + threshold);
            LOG.info("SecretHub initialized with {} shares, threshold {}", shares, threshold);
            return new InitResult(encoded, root.token());
        } finally {
            shareValues.forEach(v -> Arrays.fill(v, (byte) 0));
            Arrays.fill(systemKeyBytes, (byte) 0);
            unsealKey.destroy();
            barrier.destroy();
            system.destroy();
        }
    }

    public SealStatus unseal(String encodedShare) {
        SealConfig stored = config().orElseThrow(
                () -> new InvalidRequestException("SecretHub is not initialized: call sys().initialize(…) first"));
        synchronized (lock) {
            if (keys != null) {
                return status(stored);
            }
            UnsealShare share = UnsealShare.decode(encodedShare);
            boolean added;
            try {
                added = accept(stored, share);
            } catch (InvalidRequestException e) {
                share.wipe();
                throw e;
            }
            if (!added) {
                share.wipe();
            }
            if (progress.size() < stored.threshold()) {
                return status(stored);
            }
            byte[] unsealBytes;
            try {
                unsealBytes = ShamirScheme.combine(progress.shares());
            } finally {
                progress.reset(); // whatever happens next, these shares are used up
            }
            KeyMaterial unsealKey = KeyMaterial.aes(unsealBytes);
            byte[] rootBytes;
            try {
                rootBytes = Aead.decrypt(unsealKey, stored.encryptedRootKey(), 0, ROOT_KEY_AAD);
            } catch (AEADBadTagException e) {
                throw new InvalidRequestException("the shares do not reconstruct the unseal key: at least one of them "
                        + "is"
                        + " wrong; unseal progress was reset");
            } finally {
                unsealKey.destroy();
            }
            CoreKeys opened = open(KeyMaterial.aes(rootBytes));
            keys = opened;
            LOG.info("SecretHub node {} unsealed", node);
            auditLifecycle(Operation.SYS_UNSEAL, opened.system(), null);
            return status(stored);
        }
    }

    /** Seals this instance (on close): audits the seal itself, best effort. */
    public void seal() {
        seal(true);
    }

    /** Seals this instance whose seal request was already audited (and authorized) by the request pipeline. */
    public void sealRecorded() {
        seal(false);
    }

    private void seal(boolean audited) {
        synchronized (lock) {
            progress.reset();
            CoreKeys current = keys;
            if (current == null) {
                return;
            }
            if (audited) {
                auditLifecycle(Operation.SYS_SEAL, current.system(), null);
            }
            keys = null; // new calls fail from here on
            sealListeners.forEach(Runnable::run);
            if (!audit.flush(SEAL_FLUSH)) { // let records already queued be chained before the key goes
                LOG.warn("SecretHub node {}: audit records still queued after {} s are failed by the seal", node,
                        SEAL_FLUSH.toSeconds());
            }
            current.destroy();
            LOG.info("SecretHub node {} sealed", node);
        }
    }

    public boolean sealed() {
        return keys == null;
    }

    /**
     * Takes a share into progress, or refuses it and keeps the progress valid shares made: anybody can call
     * unseal, so a share that cannot belong to this initialization must not undo the operators' work (Vault
     * keeps progress too). Returns {@code false} for a share already held (accepted once, not counted again).
     */
    private boolean accept(SealConfig stored, UnsealShare share) {
        if (!Hmacs.equal(share.setId(), stored.shareSetId())) {
            throw new InvalidRequestException("this share belongs to a different SecretHub initialization;"
                    + " unseal progress was kept");
        }
        if (share.x() > stored.shares()) {
            throw new InvalidRequestException("share number " + share.x() + " does not exist (there are "
                    + stored.shares() + " shares); unseal progress was kept");
        }
        if (progress.holds(share.x())) {
            if (progress.holds(share)) {
                return false;
            }
            throw new InvalidRequestException("share number " + share.x() + " was already provided with another"
                    + " value; this one was refused and unseal progress was kept");
        }
        progress.add(share);
        return true;
    }

    private CoreKeys open(KeyMaterial rootKey) {
        Barrier barrier = Barrier.open(database, clock, rootKey).encryptionsPerTerm(encryptionsPerTerm);
        SystemKeys system = null;
        try {
            byte[] entry = database.autocommit("load the system key",
                    c -> SystemEntries.require(c, barrier, SystemKeys.ENTRY));
            try {
                system = SystemKeys.derive(KeyMaterial.hmacSha256(SystemKeyEntry.key(entry)));
                if (SystemKeyEntry.legacy(entry)) {
                    backfillRowMacs(barrier, system);
                }
            } finally {
                Arrays.fill(entry, (byte) 0);
            }
            return new CoreKeys(barrier, system);
        } catch (RuntimeException e) {
            if (system != null) {
                system.destroy();
            }
            barrier.destroy();
            throw e;
        }
    }

    /**
     * The first unseal after the upgrade that added row MACs: computes the MACs of the rows written before,
     * trusting them as they stand (the migration could not: the key was sealed), and marks the system key entry
     * so that from then on a missing MAC is refused like a wrong one. One instance does it, under a lock.
     */
    private void backfillRowMacs(Barrier barrier, SystemKeys system) {
        database.transaction("authenticate rows written before row MACs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, ROW_BACKFILL_LOCK);
                ps.execute();
            }
            byte[] entry = SystemEntries.require(c, barrier, SystemKeys.ENTRY);
            try {
                if (!SystemKeyEntry.legacy(entry)) {
                    return null; // another instance did it meanwhile
                }
                List<String> counts = new ArrayList<>();
                for (RowBackfill backfill : rowBackfills) {
                    counts.add(backfill.kind().table() + "=" + backfill.backfill(c, system.rows()));
                }
                byte[] marked = SystemKeyEntry.encode(entry);
                try {
                    SystemEntries.put(c, barrier, SystemKeys.ENTRY, marked, clock.instant());
                } finally {
                    Arrays.fill(marked, (byte) 0);
                }
                LOG.warn("SecretHub node {}: rows written before integrity MACs were trusted as they stood and are"
                        + " authenticated from now on: {}", node, counts);
                return null;
            } finally {
                Arrays.fill(entry, (byte) 0);
            }
        });
    }

    /**
     * Audits a seal lifecycle event. Best effort: none of them hands out a secret, and failing them
     * would do harm (initialize would lose the shares, seal must always work).
     */
    private void auditLifecycle(Operation operation, SystemKeys system, String detail) {
        try {
            audit.append(new AuditEntry(clock.instant(), node, UUID.randomUUID(), operation.auditName(), null, null,
                    null, AuditOutcome.SUCCESS, null, detail), system.auditChain());
        } catch (RuntimeException e) {
            LOG.warn("could not audit {} on node {}", operation.auditName(), node, e);
        }
    }

    private SealStatus status(SealConfig stored) {
        return new SealStatus(keys == null, stored.threshold(), stored.shares(), progress.size(), true);
    }

    private Optional<SealConfig> config() {
        SealConfig cached = config;
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SealConfig> loaded = database.autocommit("read the seal configuration", SealConfig::load);
        loaded.ifPresent(c -> config = c);
        return loaded;
    }

    private static void validate(int shares, int threshold) {
        if (shares < 1 || shares > 255) {
            throw new InvalidRequestException("shares must be between 1 and 255, was " + shares);
        }
        if (threshold < 1 || threshold > shares) {
            throw new InvalidRequestException("threshold must be between 1 and shares (" + shares + "), was "
                    + threshold);
        }
        if (threshold < 2 && shares > 1) {
            throw new InvalidRequestException("threshold must be at least 2 when there is more than one share"
                    + " (threshold 1 would make every share the whole key)");
        }
    }

    private static InvalidRequestException alreadyInitialized() {
        return new InvalidRequestException("SecretHub is already initialized");
    }
}
