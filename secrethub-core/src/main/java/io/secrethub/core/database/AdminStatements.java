package io.secrethub.core.database;

import io.secrethub.core.BackendException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Runs a role's statements on an admin connection. Failures become {@link BackendException}s that
 * name the step, the statement's position and the SQLSTATE only: a driver message can quote the
 * statement, and a creation statement carries the password verifier.
 */
final class AdminStatements {

    /** The commit's outcome is unknown (the connection failed during it): what was created may exist. */
    static final class CommitUncertainException extends BackendException {
        private static final long serialVersionUID = 1L;

        CommitUncertainException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AdminStatements() {
    }

    /**
     * Advisory lock class of database users on the target server: creation and revocation of one user take the
     * lock of its name, so they never interleave (the two-key form keeps clear of other users of advisory locks).
     */
    private static final int USER_LOCK_CLASS = 0x53480001;

    /** Runs all statements in one transaction: all happen, or none. */
    static void inTransaction(Connection c, String what, List<String> templates, Map<String, String> values) {
        inTransaction(c, what, templates, values, () -> { });
    }

    /**
     * Runs all statements in one transaction, after {@code first} (which may throw to abort): all happen, or none.
     */
    static void inTransaction(Connection c, String what, List<String> templates, Map<String, String> values,
            Runnable first) {
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            throw new BackendException(what + ": the admin connection failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
        try {
            first.run();
            run(c, what, templates, values);
        } catch (RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        }
        try {
            c.commit();
        } catch (SQLException e) {
            throw new CommitUncertainException(what + " could not be committed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /**
     * Runs the statements one by one, each committed: a revocation that fails half-way has still
     * taken away what it could (logins first, grants next) and is simply run again.
     */
    static void oneByOne(Connection c, String what, List<String> templates, Map<String, String> values) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new BackendException(what + ": the admin connection failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
        run(c, what, templates, values);
    }

    /** Takes the lock of {@code username} until the transaction ends (creation: autocommit is off). */
    static void lockUserForTransaction(Connection c, String username) {
        lock(c, "SELECT pg_advisory_xact_lock(?, hashtext(?))", username);
    }

    /** Takes the lock of {@code username} for the session; {@link #unlockUser} releases it (revocation). */
    static void lockUser(Connection c, String username) {
        lock(c, "SELECT pg_advisory_lock(?, hashtext(?))", username);
    }

    static void unlockUser(Connection c, String username) {
        lock(c, "SELECT pg_advisory_unlock(?, hashtext(?))", username);
    }

    private static void lock(Connection c, String sql, String username) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, USER_LOCK_CLASS);
            ps.setString(2, username);
            ps.execute();
        } catch (SQLException e) {
            throw new BackendException("could not lock the database user (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    /** Whether the server has a role named {@code username}. */
    static boolean roleExists(Connection c, String username) {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new BackendException("could not check whether the database user exists (SQLSTATE "
                    + e.getSQLState() + ")", e);
        }
    }

    private static void run(Connection c, String what, List<String> templates, Map<String, String> values) {
        try (Statement s = c.createStatement()) {
            for (int i = 0; i < templates.size(); i++) {
                try {
                    s.execute(SqlTemplates.render(templates.get(i), values));
                } catch (SQLException e) {
                    // The cause is kept for debugging but its message is not ours to repeat.
                    throw new BackendException(what + ": statement " + (i + 1) + " of " + templates.size()
                            + " failed (SQLSTATE " + e.getSQLState() + ")",
                                    new SQLException("SQLSTATE " + e.getSQLState()));
                }
            }
        } catch (SQLException e) {
            throw new BackendException(what + ": the admin connection failed (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(new SQLException("rollback failed (SQLSTATE " + e.getSQLState() + ")"));
        }
    }
}
