package io.secrethub.core.request;

import io.secrethub.core.audit.AuditService;
import io.secrethub.core.crypto.KeyMaterial;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit form of each caller's accessor ({@link AuditService#hashAccessor(KeyMaterial, String)}), computed once
 * per accessor and key instead of once per request: an agent presents the same token for thousands of reads, and
 * the HMAC (a {@code Mac} looked up, keyed and run) was recomputed for every record (issue 14).
 *
 * <p>An entry holds only the accessor and its HMAC, both already in memory (the token cache holds the accessor;
 * the HMAC is what the log stores), and the key it was computed under: an entry of another key (rotated, or a
 * new unseal) is recomputed, and a destroyed key (sealed) computes again, which fails as it did before.
 * Cleared when full rather than kept in LRU order, like the token cache.
 */
final class AccessorHmacs {

    static final int MAX_ENTRIES = 100_000;

    private record Entry(KeyMaterial key, String hmac) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    String of(KeyMaterial key, String accessor) {
        Entry entry = entries.get(accessor);
        if (entry != null && entry.key() == key && !key.isDestroyed()) {
            return entry.hmac();
        }
        String hmac = AuditService.hashAccessor(key, accessor);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(accessor, new Entry(key, hmac));
        return hmac;
    }

    int size() {
        return entries.size();
    }
}
