package io.secrethub.core.keyring;

import java.util.Arrays;

/**
 * The plaintext of the system key entry: the random key the {@link SystemKeys} are derived from, preceded by a
 * format byte once every row carries its integrity MAC. The entry is encrypted through the barrier and unseal
 * cannot do without it, so whoever can only write to the database can neither forge the marker nor delete it
 * (deleting the entry makes the instance unsealable); a database that predates row MACs has the bare 32-byte key.
 */
public final class SystemKeyEntry {

    /** Format byte: every protected row carries a MAC, a NULL one is refused. */
    static final byte ROWS_AUTHENTICATED = 1;

    private SystemKeyEntry() {
    }

    /** The entry for {@code key} (not kept) in the current format. */
    public static byte[] encode(byte[] key) {
        byte[] entry = new byte[key.length + 1];
        entry[0] = ROWS_AUTHENTICATED;
        System.arraycopy(key, 0, entry, 1, key.length);
        return entry;
    }

    /** Whether {@code entry} predates row MACs (their backfill is still to do). */
    public static boolean legacy(byte[] entry) {
        return entry.length == 32;
    }

    /** A copy of the key in {@code entry}. */
    public static byte[] key(byte[] entry) {
        return legacy(entry) ? entry.clone() : Arrays.copyOfRange(entry, 1, entry.length);
    }
}
