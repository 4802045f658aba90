package io.secrethub.core.secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Notifications sent <em>inside</em> the transaction of the change they announce, on the channel
 * {@value #CHANNEL}: PostgreSQL delivers them if and only if the transaction commits, so no instance can miss a
 * destructive change because its writer died between the commit and an announcement (the gap the batched
 * after-commit announcements of {@link SecretChangeFeed} leave). PostgreSQL serializes the commits of notifying
 * transactions, so only changes that must not be missed use this: secret deletions and destructions, policy and
 * AppRole role changes, token revocations and agent revocations and registrations.
 *
 * <p>Payload: the kind's name, then the subjects, one per line (no subject holds a newline: paths, policy and role
 * names, accessors and agent ids are validated). Subjects are identifiers, never secret material (a token's
 * accessor, not the token). Every instance hears them, the writer's included: its listening connection is not the
 * writer's.
 */
public final class ChangeNotices {

    /** The PostgreSQL notification channel of changes announced inside their transaction. */
    public static final String CHANNEL = "secrethub_events";

    /** PostgreSQL's payload limit is 8000 bytes. */
    private static final int MAX_PAYLOAD = 7900;

    /** What changed. */
    public enum Kind {
        /** A secret was deleted, destroyed or had its metadata deleted (subjects: paths). */
        SECRET,
        /** A policy was written or deleted (subjects: names). */
        POLICY,
        /** An AppRole role was written or deleted (subjects: role names). */
        ROLE,
        /** Tokens were revoked or deleted on expiry (subjects: accessors). */
        TOKEN,
        /** An agent's certificates were revoked, or it registered again (subjects: agent ids). */
        AGENT,
        /** A feed's own liveness probe (subject: the probe's id); never sent inside a change. */
        HEARTBEAT;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String wireName) {
            for (Kind k : values()) {
                if (k.wireName().equals(wireName)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** A notification heard: its kind (null if unknown, from a newer version) and subjects. */
    record Notice(Kind kind, List<String> subjects) {
    }

    private ChangeNotices() {
    }

    /** Announces {@code subjects} inside {@code c}'s transaction; sent by PostgreSQL when (and if) it commits. */
    public static void send(Connection c, Kind kind, Collection<String> subjects) throws SQLException {
        if (subjects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
            for (String payload : payloads(kind, subjects)) {
                ps.setString(1, payload);
                ps.execute();
            }
        }
    }

    /** The payloads announcing {@code subjects}, each within PostgreSQL's limit. */
    static List<String> payloads(Kind kind, Collection<String> subjects) {
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder(kind.wireName());
        for (String subject : subjects) {
            if (subject.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a notified subject cannot hold a newline");
            }
            if (payload.length() > kind.wireName().length()
                    && payload.length() + 1 + subject.length() > MAX_PAYLOAD) {
                payloads.add(payload.toString());
                payload.setLength(0);
                payload.append(kind.wireName());
            }
            payload.append('\n').append(subject);
        }
        payloads.add(payload.toString());
        return payloads;
    }

    static Notice parse(String payload) {
        String[] lines = payload.split("\n");
        return new Notice(Kind.of(lines[0]), List.of(lines).subList(1, lines.length));
    }
}
