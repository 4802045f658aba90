package io.secrethub.core.seal;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** The shares this instance holds towards the threshold, by x-coordinate. Not thread-safe: the caller locks. */
final class UnsealProgress {

    private final TreeMap<Integer, byte[]> shares = new TreeMap<>();

    boolean holds(int x) {
        return shares.containsKey(x);
    }

    /** Whether exactly this share (number and value, compared in constant time) is held. */
    boolean holds(UnsealShare share) {
        byte[] held = shares.get(share.x());
        return held != null && MessageDigest.isEqual(held, share.value());
    }

    void add(UnsealShare share) {
        shares.put(share.x(), share.value());
    }

    int size() {
        return shares.size();
    }

    /** The shares held (still owned by this object: {@link #reset()} wipes them). */
    Map<Integer, byte[]> shares() {
        return shares;
    }

    /** Forgets and zeroes every share. */
    void reset() {
        shares.values().forEach(v -> Arrays.fill(v, (byte) 0));
        shares.clear();
    }
}
