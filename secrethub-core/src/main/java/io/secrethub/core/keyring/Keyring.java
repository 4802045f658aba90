package io.secrethub.core.keyring;

import io.secrethub.core.crypto.KeyMaterial;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of the data keys by term. The newest term is the active one (used to
 * encrypt); every term decrypts. Growing the keyring makes a new snapshot, so readers never lock.
 */
final class Keyring {

    record Term(int number, KeyMaterial key, Instant createdAt) {
    }

    private final TreeMap<Integer, Term> terms;

    private Keyring(TreeMap<Integer, Term> terms) {
        this.terms = terms;
    }

    static Keyring empty() {
        return new Keyring(new TreeMap<>());
    }

    /** A snapshot with {@code term} added; if it is already present, this one (the caller should destroy its key). */
    Keyring with(Term term) {
        if (terms.containsKey(term.number())) {
            return this;
        }
        TreeMap<Integer, Term> next = new TreeMap<>(terms);
        next.put(term.number(), term);
        return new Keyring(next);
    }

    boolean contains(int term) {
        return terms.containsKey(term);
    }

    /** The term's key, or null if this snapshot does not know it. */
    KeyMaterial key(int term) {
        Term t = terms.get(term);
        return t == null ? null : t.key();
    }

    Term active() {
        if (terms.isEmpty()) {
            throw new IllegalStateException("keyring has no terms");
        }
        return terms.lastEntry().getValue();
    }

    int maxTerm() {
        return terms.isEmpty() ? 0 : terms.lastKey();
    }

    Map<Integer, Term> terms() {
        return Collections.unmodifiableMap(terms);
    }

    void destroy() {
        terms.values().forEach(t -> t.key().destroy());
    }
}
